Require Import Reals Lra.
Open Scope R_scope.

Theorem linear_system : forall x y : R,
  x + y = 10 -> x - y = 2 -> x = 6 /\ y = 4.
Proof.
  intros x y Hsum Hdiff.
  split.
  - exact Hsum.
  - lra.
Qed.
