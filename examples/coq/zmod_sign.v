(* Lemmata example: a plausible but false claim. Coq's Z.modulo takes the sign
   of the divisor, so the remainder can be negative; lemmata smt finds a
   counterexample and checks it with exact arithmetic. *)
Require Import ZArith.
Open Scope Z_scope.

Theorem zmod_nonnegative : forall a b : Z, b <> 0 -> 0 <= a mod b.
Proof.
Admitted.
