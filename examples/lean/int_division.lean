import Mathlib

-- Lemmata example: in Lean, integer division is Euclidean, so the remainder is never negative.
theorem int_division_remainder (a b : ℤ) (h₀ : b ≠ 0) : 0 ≤ a % b ∧ a % b < |b| := by sorry
