(* The honest-looking theorem sits in a module; the top-level one is admitted. *)
Require Import Arith Lia.
Definition double (n : nat) : nat := n + n.
Module Inner.
  Theorem double_even : forall n : nat, double n = 2 * n.
  Proof. intro n. unfold double. lia. Qed.
End Inner.
Theorem double_even : forall n : nat, double n = 2 * n.
Admitted.
