"""Lean 4 semantic traps: Euclidean ℤ division, truncated ℕ subtraction, casts at the leaves, ..."""

import pytest

from lemmata.dsl.lean.conjecture import read_lean_conjecture
from lemmata.dsl.ir import Unsupported
from lemmata.verifiers.smt import SmtVerdict, decide

PROVED, DISPROVED = SmtVerdict.SMT_PROVED, SmtVerdict.DISPROVED

LEAN_TRAPS = [
    ("int_div_euclidean_negative_dividend", ": (-7 : ℤ) / 2 = -4", PROVED),
    ("int_div_euclidean_negative_divisor", ": (7 : ℤ) / -2 = -3", PROVED),
    ("int_div_is_not_floor", ": (7 : ℤ) / -2 = -4", DISPROVED),
    ("int_mod_nonnegative", ": (7 : ℤ) % -2 = 1", PROVED),
    ("int_div_by_zero", "(x : ℤ) : x / 0 = 0", PROVED),
    ("int_mod_by_zero", "(x : ℤ) : x % 0 = x", PROVED),
    ("nat_sub_truncates", "(a b : ℕ) (h : a < b) : a - b = 0", PROVED),
    ("nat_sub_not_inverse", "(a b : ℕ) : a - b + b = a", DISPROVED),
    ("nat_division_inside_cast", ": ((1 / 3 : ℕ) : ℝ) = 0", PROVED),
    ("real_division_is_real", ": (1 : ℝ) / 3 = 0", DISPROVED),
    ("cast_at_the_leaves", "(n : ℕ) (x : ℝ) (h : x = n - 5) : x ≥ -5", PROVED),
    ("real_div_by_zero", "(x : ℝ) : x / 0 = 0", PROVED),
    ("sqrt_of_negative", "(x : ℝ) (h : x < 0) : Real.sqrt x = 0", PROVED),
    ("sqrt_square_needs_nonnegative", "(x : ℝ) : √x * √x = x", DISPROVED),
    ("zero_pow_zero", ": (0 : ℕ) ^ 0 = 1", PROVED),
    ("real_zero_pow_zero", ": (0 : ℝ) ^ 0 = 1", PROVED),
    ("divides", ": (3 : ℤ) ∣ 12", PROVED),
    ("zero_divides_only_zero", "(x : ℤ) (h : 0 ∣ x) : x = 0", PROVED),
    ("gcd_constant", ": Nat.gcd 12 18 = 6", PROVED),
    ("floor_negative", ": ⌊(-7 : ℝ) / 2⌋ = -4", PROVED),
    ("ceil_positive", ": ⌈(7 : ℝ) / 2⌉ = 4", PROVED),
    ("sum_range", ": ∑ k ∈ Finset.range 5, k = 10", PROVED),
    ("sum_icc_squares", ": ∑ k ∈ Finset.Icc 1 4, k ^ 2 = 30", PROVED),
    ("abs_bars", "(x : ℝ) : |x| ≥ x", PROVED),
    ("binder_predicate", "(f : ℕ → ℕ) (h : ∀ n ≥ 1, f n = 2 * n) : f 3 = 6", PROVED),
    ("unicode_and_reserved_names", "(a₁ div x' : ℤ) (h : a₁ = div + x') (h' : div = 1) : a₁ - x' = 1", PROVED),
    ("name_like_a_fresh_constant", "(lemmata_sqrt_1 : ℝ) (h : 0 < lemmata_sqrt_1) : √4 = 2", PROVED),
    ("unicode_names_counterexample", "(a₁ : ℕ) (h : a₁ < 3) : a₁ = 0", DISPROVED),
    ("inferred_binder", "(f : ℝ → ℝ) (h : ∀ x, f x = 2 * x + 3) : f 2 = 7", PROVED),
    # false, but a model of a quantified hypothesis cannot be confirmed exactly: unknown, not a counterexample
    ("inferred_binder_wrong", "(f : ℝ → ℝ) (h : ∀ x, f x = 2 * x + 3) : f 2 = 8", SmtVerdict.UNKNOWN),
]


def lean(signature: str):
    return read_lean_conjecture(f"import Mathlib\n\ntheorem trap {signature} := by sorry\n")


@pytest.mark.parametrize("name, signature, expected", LEAN_TRAPS, ids=[t[0] for t in LEAN_TRAPS])
def test_lean_trap(name, signature, expected):
    result = decide(lean(signature), solver="z3", timeout=10)
    assert result.verdict is expected, (result.verdict, result.reason, result.counterexample)


def test_lean_counterexample_is_printed_in_lean_syntax():
    result = decide(lean("(a b : ℕ) : a - b + b = a"), timeout=10)
    assert result.verdict is DISPROVED
    assert all(v.endswith(": ℕ)") for v in result.counterexample.values())


@pytest.mark.parametrize("signature, reason", [
    ("(x : ℝ) : Real.log x ≤ x", "Real.log"),
    (": π > 3", "π"),
    ("(p : ℕ) (h : Nat.Prime p) : p ≥ 2", "Nat.Prime"),
    ("(x : ℝ) (n : ℤ) : x ^ n = x", "exponent"),
])
def test_lean_constructs_without_exact_meaning_are_unsupported(signature, reason):
    with pytest.raises(Unsupported, match=reason):
        lean(signature)
