"""The shape of a Coq statement, and the automation it schedules: which tiers, which scripts, in what order."""

from lemmata.dsl.coq.shape import shape_of
from lemmata.prover.agent.coq_tactics import RECIPES, TIERS, case_split, cleared, portfolio, prime_certificate


def test_the_shape_of_a_statement():
    nat_mod = shape_of("Theorem t : forall n : nat, n mod 7 = 5 -> (5 * n) mod 7 = 4.")
    assert nat_mod.naturals and nat_mod.division_mod and not nat_mod.reals and not nat_mod.large_nat_literal
    assert shape_of("Theorem t (n : nat) : 123 * n + 17 = 39500 -> n = 321.").large_nat_literal
    absolute = shape_of("Theorem t : forall x p : R, x < 2 -> Rabs (x - 2) = p -> x - p = 2 - 2 * p.")
    assert absolute.reals and absolute.absolute and not absolute.inequality_goal
    sequence = shape_of("Theorem t (s : nat -> R) (h0 : forall n : nat, s (S (S n)) = s (S n) + s n) : s 4%nat = 10.")
    assert sequence.quantified_hypothesis == "nat" and sequence.function_variable
    assert shape_of("Theorem t : forall x : R, 0 < x -> x / x = 1.").real_division
    assert shape_of("Theorem t : 314/100 < PI.").transcendental
    assert shape_of("Theorem t : forall a b : R, 2 * a * b <= a ^ 2 + b ^ 2.").inequality_goal
    closed = shape_of("Theorem t : (1/2 + 1/3) * (1/2 - 1/3) = 5/36.", "Require Import Reals.\nOpen Scope R_scope.\n")
    assert closed.reals and not closed.naturals  # bare numerals in R_scope are reals
    assert shape_of("Theorem t : 2 + 2 = 4.").naturals and shape_of("Theorem t : 2 + 2 = 4.").reals  # unknown: all
    untyped = shape_of("Theorem t (f : R -> R) (h0 : forall x, f x = 2 * x) (h1 : forall x, x <> 0 -> f x = 1) : f 1 = 2.")
    assert untyped.quantified_hypothesis == "R" and untyped.function_variable and not untyped.inequality_goal


def test_the_portfolio_is_scheduled_by_shape_and_tier():
    names = [t.name for t in portfolio(shape_of("Theorem t : forall n : nat, n mod 7 = 5 -> (5 * n) mod 7 = 4."))]
    assert "zify-nat" in names and "lia" in names and not {"lra", "nra", "abs-cases", "interval"} & set(names)
    real = portfolio(shape_of("Theorem t : forall x : R, Rabs x >= 0."))
    assert "abs-cases" in [t.name for t in real] and "lia" not in [t.name for t in real]
    tiers = [t.tier for t in real]
    assert tiers == sorted(tiers, key=TIERS.index) and tiers[-1] == "heavy"  # cheap first, the ATP calls last
    assert {t.name for t in portfolio(None)} == {r.name for r in RECIPES}  # shape unknown: everything


def test_reconstruction_scripts():
    split = case_split("x", True, 0, 3)
    assert split.body.startswith("intros. assert (Hbound : (x <= 3)%nat) by nia. do 4 (destruct x as [|x];")
    z = case_split("k", False, -1, 1)
    assert "k = (-1)%Z \\/ k = (0)%Z \\/ k = (1)%Z" in z.body and z.tier == "reconstruction"
    lia = next(t for t in portfolio(None) if t.name == "lia")
    assert cleared(["H0", "H2"], lia).body == "intros. clear H0 H2. intros; lia."


def test_primality_certificates_only_for_primes_named_in_the_goal():
    shape = shape_of("Theorem t : prime 101 /\\ prime (91).")
    assert shape.prime_literals == (101, 91)
    names = [t.name for t in portfolio(shape)]
    assert "prime-certificate 101" in names and "prime-certificate 91" not in names  # 91 = 7 * 13: no certificate
    body = prime_certificate(101).body
    # 101 - 1 = 2^2 * 5^2, witness 2; then 5 (5 - 1 = 2^2), then 2 by the library's own lemma
    assert "(Pock_certif 101 2 (cons (2%positive, 2%positive) (cons (5%positive, 2%positive) nil)) 1)" in body
    assert body.index("Pock_certif 5 ") < body.index("Proof_certif 2 prime_2")
    assert prime_certificate(1) is None and prime_certificate(10**40 + 1) is None
