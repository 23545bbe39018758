Require Import Arith.
Definition double (n : nat) : nat := n + n.
Theorem double_even : forall n : nat, n = 0 -> double n = 2 * n.
Proof. intros n H. subst. reflexivity. Qed.
