(* Lemmata example problem: solve a 2x2 linear system over the reals. *)
Require Import Reals.
Open Scope R_scope.

Theorem linear_system : forall x y : R,
  x + y = 10 -> x - y = 2 -> x = 6 /\ y = 4.
Proof.
Admitted.
