(* Lemmata example problem: the sum of the first n odd numbers is n^2. *)
Require Import Arith Lia.

Fixpoint sum_odd (n : nat) : nat :=
  match n with
  | 0 => 0
  | S k => sum_odd k + (2 * k + 1)
  end.

Theorem sum_odd_square : forall n : nat, sum_odd n = n * n.
Proof.
Admitted.
