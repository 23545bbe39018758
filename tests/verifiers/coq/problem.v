(* The reference problem every cheat below claims to prove. *)
Require Import Arith.

Definition double (n : nat) : nat := n + n.

Theorem double_even : forall n : nat, double n = 2 * n.
Proof.
Admitted.
