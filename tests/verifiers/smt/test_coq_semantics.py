"""Semantic traps: each rule of the IR, in a true and a false variant, decided by both solvers."""

from fractions import Fraction

import pytest

from lemmata.dsl.coq.conjecture import read_coq_conjecture
from lemmata.dsl.evaluate import holds
from lemmata.dsl.ir import Unsupported
from lemmata.verifiers.smt import SmtVerdict, decide

PROVED, DISPROVED = SmtVerdict.SMT_PROVED, SmtVerdict.DISPROVED

# (name, header, statement, expected verdict)
COQ_TRAPS = [
    ("zdiv_floor_negative_divisor", "Require Import ZArith.", "(7 / -2 = -4)%Z", PROVED),
    ("zdiv_is_not_euclidean", "Require Import ZArith.", "(7 / -2 = -3)%Z", DISPROVED),
    ("zdiv_negative_dividend", "Require Import ZArith.", "(-7 / 2 = -4)%Z", PROVED),
    ("zmod_sign_of_divisor", "Require Import ZArith.", "(7 mod -2 = -1)%Z", PROVED),
    ("zmod_not_nonnegative", "Require Import ZArith.", "(7 mod -2 = 1)%Z", DISPROVED),
    ("zdiv_by_zero", "Require Import ZArith.", "forall x : Z, (x / 0 = 0)%Z", PROVED),
    ("zmod_by_zero", "Require Import ZArith.", "forall x : Z, (x mod 0 = x)%Z", PROVED),
    ("zmod_by_zero_is_not_zero", "Require Import ZArith.", "forall x : Z, (x mod 0 = 0)%Z", DISPROVED),
    ("nat_sub_truncates", "Require Import Arith.", "forall a b : nat, a < b -> a - b = 0", PROVED),
    ("nat_sub_not_inverse", "Require Import Arith.", "forall a b : nat, a - b + b = a", DISPROVED),
    ("nat_div_by_zero", "Require Import Arith.", "forall a : nat, a / 0 = 0", PROVED),
    ("nat_mod_by_zero", "Require Import Arith.", "forall a : nat, a mod 0 = a", PROVED),
    ("real_div_by_zero", "Require Import Reals. Open Scope R_scope.", "forall x : R, x / 0 = 0", PROVED),
    ("real_div_self_needs_nonzero", "Require Import Reals. Open Scope R_scope.", "forall x : R, x / x = 1", DISPROVED),
    ("sqrt_of_negative", "Require Import Reals. Open Scope R_scope.", "forall x : R, x < 0 -> sqrt x = 0", PROVED),
    ("sqrt_square_needs_nonnegative", "Require Import Reals. Open Scope R_scope.",
     "forall x : R, sqrt x * sqrt x = x", DISPROVED),
    ("zero_pow_zero", "Require Import Arith.", "0 ^ 0 = 1", PROVED),
    ("real_pow_zero", "Require Import Reals. Open Scope R_scope.", "forall x : R, x ^ 0 = 1", PROVED),
    ("inr_nonnegative", "Require Import Reals. Open Scope R_scope.", "forall n : nat, INR n >= 0", PROVED),
    ("izr_can_be_negative", "Require Import Reals. Open Scope R_scope.", "forall z : Z, IZR z >= 0", DISPROVED),
    ("to_nat_of_negative", "Require Import ZArith.", "Z.to_nat (-3) = 0%nat", PROVED),
    ("divides", "Require Import ZArith.", "(3 | 12)%Z", PROVED),
    ("zero_divides_only_zero", "Require Import ZArith.", "forall x : Z, (0 | x)%Z -> x = 0%Z", PROVED),
    ("gcd_constant", "Require Import ZArith.", "Z.gcd 12 18 = 6%Z", PROVED),
    ("gcd_zero_zero", "Require Import ZArith.", "Z.gcd 0 0 = 0%Z", PROVED),
    ("abs_cases", "Require Import Reals. Open Scope R_scope.", "forall x : R, Rabs x >= x", PROVED),
    ("abs_is_not_identity", "Require Import Reals. Open Scope R_scope.", "forall x : R, Rabs x = x", DISPROVED),
    ("linear_system", "Require Import Reals. Open Scope R_scope.",
     "forall x y : R, x + y = 10 -> x - y = 2 -> x = 6 /\\ y = 4", PROVED),
    ("linear_system_wrong", "Require Import Reals. Open Scope R_scope.",
     "forall x y : R, x + y = 10 -> x - y = 2 -> x = 7", DISPROVED),
]


def coq_statement(header: str, body: str):
    return read_coq_conjecture(f"{header}\nTheorem trap : {body}.\nProof.\nAdmitted.\n")


@pytest.mark.parametrize("solver", ["z3", "cvc5"])
@pytest.mark.parametrize("name, header, body, expected", COQ_TRAPS, ids=[t[0] for t in COQ_TRAPS])
def test_coq_trap(name, header, body, expected, solver):
    statement = coq_statement(header, body)
    result = decide(statement, solver=solver, timeout=10)
    assert result.verdict is expected, (result.verdict, result.reason, result.counterexample)
    if expected is DISPROVED:
        # the reported counterexample, read back, satisfies the hypotheses and falsifies the goal
        env = {}
        for var in statement.variables:
            text = result.counterexample[var.name]
            env[var.name] = Fraction(text.split(")")[0].strip("(").replace(" ", ""))
        assert all(holds(h, env) for h in statement.hypotheses) and not holds(statement.goal, env)


def test_cross_check_agrees_on_the_traps():
    for name, header, body, expected in COQ_TRAPS[:8]:
        assert decide(coq_statement(header, body), solver="both", timeout=10).verdict is expected, name


@pytest.mark.parametrize("body, reason", [
    ("forall x : R, exp x > 0", "exp"),
    ("forall x : R, ln x <= x", "ln"),
    ("PI > 3", "PI"),
    ("forall n : nat, (n < 2 ^ n)%nat", "exponent"),
])
def test_constructs_without_exact_meaning_are_unsupported(body, reason):
    header = "Require Import Reals. Open Scope R_scope."
    try:
        statement = coq_statement(header, body)
    except Unsupported as exc:
        assert reason in exc.reason
        return
    result = decide(statement, timeout=5)
    assert result.verdict is SmtVerdict.UNSUPPORTED and reason in result.reason


def test_smt_proved_is_never_called_proved():
    result = decide(coq_statement("Require Import Arith.", "1 + 1 = 2"))
    assert result.verdict.value == "smt-proved"
