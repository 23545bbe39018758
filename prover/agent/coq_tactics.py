"""Coq's automation portfolio, in tiers and by shape: which tactic scripts are worth a check on which goal.

Tier ``cheap``: the decision procedures (`lia`, `lra`, `nia`, `nra`, `ring`,
`field`, computation), each only where its sort appears. Tier ``shape``:
scripts that prepare a goal of a known shape for them: `mod`/`/` over ℕ moved
to ℤ with `ZifyNat`, nat literals Coq abstracts (`Nat.of_num_uint`) evaluated,
`Rabs`/`Rmax`/`Rmin` split into cases, squares of differences handed to `nra`
(the `nlinarith` preprocessing), `psatz` (CSDP), rational equations cleared
of denominators with their side conditions discharged, quantified hypotheses
instantiated or rewritten with, `sqrt` facts, `interval` for bounds with
`sqrt`/`ln`/`exp`/`PI`, Pocklington certificates (Coqprime) for `prime N`. Tier ``heavy``: CoqHammer's `sauto` and `hammer`.
Every script is an ordinary proof body; whatever it proves goes through the
same audit as any other proof.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from lemmata.dsl.coq.shape import Shape
from lemmata.prover.agent.language import Tactic

HAMMER = ("From Hammer Require Import Tactics Hammer.",)
LIA = ("Require Import Lia.",)
ZIFY_NAT = ("Require Import Lia ZArith ZifyNat.",)
REALS = ("Require Import Reals Lra Psatz.",)
INTERVAL = ("Require Import Reals.", "From Interval Require Import Tactic.")

# A side condition of a denominator: a hypothesis, lra, or "a <> b" from a hypothesis a' <> b' lra relates.
_NONZERO = ("solve [repeat split; try assumption; try lra; intro; "
            "match goal with H' : _ <> _ |- False => apply H'; lra end]")
_BIG_NAT = """repeat match goal with
  | H : context [Z.of_nat (Nat.of_num_uint ?u)] |- _ =>
      let v := eval vm_compute in (Z.of_nat (Nat.of_num_uint u)) in change (Z.of_nat (Nat.of_num_uint u)) with v in H
  | |- context [Z.of_nat (Nat.of_num_uint ?u)] =>
      let v := eval vm_compute in (Z.of_nat (Nat.of_num_uint u)) in change (Z.of_nat (Nat.of_num_uint u)) with v
  end"""
_ABS_CASES = """repeat match goal with
  | H : context [Rabs ?x] |- _ => destruct (Rcase_abs x); [rewrite (Rabs_left x) in H by lra | rewrite (Rabs_right x) in H by lra]
  | |- context [Rabs ?x] => destruct (Rcase_abs x); [rewrite (Rabs_left x) by lra | rewrite (Rabs_right x) by lra]
  | H : context [Rmax ?x ?y] |- _ => destruct (Rle_dec x y); [rewrite (Rmax_right x y) in H by lra | rewrite (Rmax_left x y) in H by lra]
  | |- context [Rmax ?x ?y] => destruct (Rle_dec x y); [rewrite (Rmax_right x y) by lra | rewrite (Rmax_left x y) by lra]
  | H : context [Rmin ?x ?y] |- _ => destruct (Rle_dec x y); [rewrite (Rmin_left x y) in H by lra | rewrite (Rmin_right x y) in H by lra]
  | |- context [Rmin ?x ?y] => destruct (Rle_dec x y); [rewrite (Rmin_left x y) by lra | rewrite (Rmin_right x y) by lra]
  end"""
_SQUARES = """repeat match goal with
  | x : R, y : R |- _ => assert_fails (idtac; lazymatch goal with _ : 0 <= (x - y) ^ 2 |- _ => idtac end);
                         pose proof (pow2_ge_0 (x - y))
  end"""
_SQRT_IN_GOAL = """  | |- context [sqrt ?c] => assert_fails (idtac; lazymatch goal with _ : sqrt c * sqrt c = c |- _ => idtac end);
                            pose proof (sqrt_pos c); pose proof (sqrt_sqrt c ltac:(nra))"""
_SQRT_IN_HYPOTHESIS = """  | H : context [sqrt ?c] |- _ => assert_fails (idtac; lazymatch goal with _ : sqrt c * sqrt c = c |- _ => idtac end);
                                  pose proof (sqrt_pos c); pose proof (sqrt_sqrt c ltac:(nra))"""
_SQRT_FACTS = f"repeat match goal with\n{_SQRT_IN_GOAL}\n{_SQRT_IN_HYPOTHESIS}\n  end"
_SQRT_GOAL_FACTS = f"repeat match goal with\n{_SQRT_IN_GOAL}\n  end"
_CLEAR_DENOMINATORS = f"""repeat match goal with
  | H : context [Rdiv _ _] |- _ => field_simplify_eq in H; [ | {_NONZERO} ]
  | H : context [Rinv _] |- _ => field_simplify_eq in H; [ | {_NONZERO} ]
  end;
  try (field_simplify_eq; [ | {_NONZERO} ])"""


def _instances(hypothesis: str, values: list[str]) -> str:
    poses = "; ".join(f"pose proof (H {v})" for v in values)
    return f"match goal with H : forall v : {hypothesis}, _ |- _ => {poses} end"


_DEFINITIONS = """repeat match goal with
  | H : forall x : R, _ -> ?f x = _ |- _ => rewrite !H in * by lra; clear H
  | H : forall x : R, ?f x = _ |- _ => rewrite !H in *; clear H
  end"""
_NAT_INSTANCES = _instances("nat", [f"{n}%nat" for n in range(11)])
_REAL_INSTANCES = _instances("R", ["0", "1", "(-1)", "2", "(-2)"])


@dataclass(frozen=True)
class Recipe:
    """A tactic script for goals of some shape; ``tier`` orders the schedule (cheap, shape, heavy)."""

    name: str
    body: str
    tier: str
    applies: Callable[[Shape], bool]
    imports: tuple[str, ...] = ()
    timeout_factor: float = 1.0

    def tactic(self) -> Tactic:
        return Tactic(self.name, self.body, self.imports, self.timeout_factor, self.tier)


def _any(shape: Shape) -> bool:
    return True


def _integral(shape: Shape) -> bool:
    return shape.naturals or shape.integers


def _real(shape: Shape) -> bool:
    return shape.reals


TIERS = ("cheap", "shape", "heavy")
RECIPES: tuple[Recipe, ...] = (
    Recipe("lia", "intros; lia.", "cheap", _integral, LIA),
    Recipe("lra", "intros; lra.", "cheap", _real, ("Require Import Lra.",)),
    Recipe("nia", "intros; nia.", "cheap", _integral, LIA),
    Recipe("nra", "intros; nra.", "cheap", _real, ("Require Import Psatz.",)),
    Recipe("ring", "intros; ring.", "cheap", _any),
    Recipe("field", "intros; field.", "cheap", lambda s: s.real_division),
    Recipe("compute", "intros; vm_compute; reflexivity.", "cheap", _any),
    Recipe("intuition", "intuition.", "cheap", _any),
    Recipe("subst-lia", "intros; subst; simpl in *; lia.", "cheap", _integral, LIA),
    Recipe("zify-nat", "intros; lia.", "shape", lambda s: s.division_mod and s.naturals, ZIFY_NAT),
    Recipe("zify-nat-nia", "intros; nia.", "shape", lambda s: s.division_mod and s.naturals, ZIFY_NAT),
    Recipe("z-div-mod", "intros; Z.div_mod_to_equations; nia.", "shape", lambda s: s.division_mod and s.integers,
           ("Require Import Lia ZArith.",)),
    Recipe("large-nat", f"intros; zify; {_BIG_NAT}; nia.", "shape", lambda s: s.large_nat_literal, ZIFY_NAT,
           timeout_factor=3.0),  # evaluating the literal costs a second or two
    Recipe("definitions", f"intros; {_DEFINITIONS}; first [lra | nra | field | (field_simplify; nra)].", "shape",
           lambda s: s.quantified_hypothesis == "R" and s.function_variable, REALS),
    Recipe("definitions-sqrt", f"intros; {_DEFINITIONS}; {_SQRT_GOAL_FACTS}; nra.", "shape",
           lambda s: s.quantified_hypothesis == "R" and s.function_variable and s.sqrt, REALS),
    Recipe("rewrite-hypothesis", "intros; match goal with H : forall x : R, ?f x = _ |- _ => rewrite !H in * end; lra.",
           "shape", lambda s: s.quantified_hypothesis == "R" and s.function_variable, REALS),
    Recipe("instances-nat", f"intros; {_NAT_INSTANCES}; simpl in *; lra.", "shape",
           lambda s: s.quantified_hypothesis == "nat" and s.reals, REALS),
    Recipe("instances-nat-lia", f"intros; {_NAT_INSTANCES}; simpl in *; lia.", "shape",
           lambda s: s.quantified_hypothesis == "nat" and not s.reals, LIA),
    Recipe("instances-real", f"intros; {_REAL_INSTANCES}; nra.", "shape", lambda s: s.quantified_hypothesis == "R",
           REALS),
    Recipe("abs-cases", f"intros; {_ABS_CASES}; nra.", "shape", lambda s: s.absolute, REALS),
    Recipe("field-sides", "intros; field; repeat split; try assumption; lra.", "shape", lambda s: s.real_division,
           REALS),
    Recipe("clear-denominators", f"intros; {_CLEAR_DENOMINATORS}; nra.", "shape", lambda s: s.real_division, REALS),
    Recipe("sqrt-facts", f"intros; {_SQRT_FACTS}; nra.", "shape", lambda s: s.sqrt, REALS),
    Recipe("subst-nra", "intros; subst; nra.", "shape", lambda s: s.reals, REALS),
    Recipe("nra-squares", f"intros; {_SQUARES}; nra.", "shape", lambda s: s.reals, REALS, timeout_factor=2.0),
    Recipe("psatz", "intros; psatz R 3.", "shape", lambda s: s.reals and s.inequality_goal, REALS,
           timeout_factor=2.0),
    Recipe("interval", "intros; interval.", "shape", lambda s: (s.sqrt or s.transcendental) and s.inequality_goal,
           INTERVAL, timeout_factor=8.0),  # Print Assumptions walks Interval and Flocq: ~15 s
    Recipe("sauto", "intros; sauto.", "heavy", _any, HAMMER),
    Recipe("hammer", "intros; hammer.", "heavy", _any, HAMMER, timeout_factor=2.0),
)


PRIMALITY = ("Require Import ZArith Znumtheory List.", "From Coqprime Require Import PocklingtonCertificat.")
MAX_CERTIFIED = 10**30  # factoring N - 1 beyond this is not worth a check's budget


def _pocklington(n: int) -> str:
    """A Coqprime certificate term for ``n``: Pocklington with N - 1 fully factored, down to 2."""
    import sympy

    def pos(k: int) -> str:
        return f"{k}%positive"

    factors: dict[int, dict[int, int]] = {}  # p -> the factorisation of p - 1, for every prime certified
    frontier = [n]
    while frontier:
        p = frontier.pop()
        if p not in factors:
            factors[p] = sympy.factorint(p - 1) if p > 2 else {}
            frontier += list(factors[p])

    def certificate(p: int) -> str:
        if p == 2:
            return "(Proof_certif 2 prime_2)"
        witness = next(a for a in range(2, p) if pow(a, p - 1, p) == 1
                       and all(math.gcd(pow(a, (p - 1) // q, p) - 1, p) == 1 for q in factors[p]))
        dec = "nil"
        for q, e in sorted(factors[p].items(), reverse=True):
            dec = f"(cons ({pos(q)}, {pos(e)}) {dec})"
        return f"(Pock_certif {p} {witness} {dec} 1)"

    ordered = sorted(factors, reverse=True)  # a certificate's primes all come after it
    rest = "nil"
    for p in reversed(ordered[1:]):
        rest = f"(cons {certificate(p)} {rest})"
    return f"(Pocklington_refl {certificate(n)} {rest})"


def prime_certificate(n: int) -> Tactic | None:
    """``prime N`` (Znumtheory, over ℤ) by a Pocklington certificate checked by computation; None if N is not prime."""
    import sympy

    if n < 2 or n > MAX_CERTIFIED or not sympy.isprime(n):
        return None
    return Tactic(f"prime-certificate {n}", f"intros; apply {_pocklington(n)}; vm_compute; reflexivity.", PRIMALITY,
                  2.0, "shape")


def portfolio(shape: Shape | None) -> list[Tactic]:
    """The recipes that can apply to ``shape`` (all of them when it is unknown), cheap ones first."""
    chosen = [r.tactic() for r in RECIPES if shape is None or r.applies(shape)]
    if shape is not None:
        chosen += [t for n in shape.prime_literals if (t := prime_certificate(n)) is not None]
    return sorted(chosen, key=lambda t: TIERS.index(t.tier))


def cleared(names: list[str], tactic: Tactic) -> Tactic:
    """``tactic`` after clearing hypotheses the solver's proof does not use: less for `nra`/`nia` to combine."""
    return Tactic(f"clear-unused+{tactic.name}", f"intros. clear {' '.join(names)}. {tactic.body}", tactic.imports,
                  tactic.timeout_factor, "reconstruction")


def case_split(variable: str, natural: bool, low: int, high: int) -> Tactic:
    """A finite case split on an integer variable within bounds the solver established, each case by `lia`/`nia`."""
    close = "first [lia | nia]"
    if natural:
        body = (f"intros. assert (Hbound : ({variable} <= {high})%nat) by nia. "
                f"do {high + 1} (destruct {variable} as [|{variable}]; [{close} | ]). lia.")
        return Tactic(f"case-split {variable} in 0..{high}", body, LIA, 5.0, "reconstruction")
    cases = " \\/ ".join(f"{variable} = ({k})%Z" for k in range(low, high + 1))
    body = (f"intros. assert (Hbound : ({low} <= {variable} <= {high})%Z) by nia. "
            f"assert (Hcases : {cases}) by lia. "
            f"repeat destruct Hcases as [Hcases | Hcases]; subst; {close}.")
    return Tactic(f"case-split {variable} in {low}..{high}", body, ("Require Import Lia ZArith.",), 5.0,
                  "reconstruction")


__all__ = ["RECIPES", "Recipe", "TIERS", "case_split", "cleared", "portfolio", "prime_certificate"]
