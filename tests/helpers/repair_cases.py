"""A definition changed under its lemmas (``double`` was ``2 * n``, it is now ``n + n``): two of five break.

The same lemmas serve as one file (``BROKEN``, for `lemmata repair`) and as a two-file project (``A``, ``B``,
for `lemmata watch`). ``KEPT`` are the lemmas that still check; a repair must leave them byte for byte.
"""

HEADER = "(* double was 2 * n; it is now n + n *)\nRequire Import Arith Lia.\n\n"
DEFINITION = "Definition double (n : nat) : nat := n + n.\n\n"
DOUBLE_SPEC = """Lemma double_spec : forall n, double n = n + n.
Proof.
  intros n. unfold double. simpl.
  rewrite Nat.add_0_r.
  reflexivity.
Qed.

"""
DOUBLE_3 = "Lemma double_3 : double 3 = 6.\nProof. reflexivity. Qed.\n"
DOUBLE_MONO = ("Lemma double_mono : forall n m, n <= m -> double n <= double m.\n"
               "Proof. intros n m H. unfold double. lia. Qed.\n")
DOUBLE_MUL = """Lemma double_mul : forall n, double n = 2 * n.
Proof.
  intros n. unfold double.
  reflexivity.
Qed.

"""
DOUBLE_PLUS = ("Lemma double_plus : forall n m, double (n + m) = double n + double m.\n"
               "Proof. intros n m. unfold double. lia. Qed.\n")

BROKEN = HEADER + DEFINITION + DOUBLE_SPEC + DOUBLE_MONO + "\n" + DOUBLE_3 + "\n" + DOUBLE_MUL + DOUBLE_PLUS
KEPT = [DOUBLE_MONO.strip(), DOUBLE_3.strip(), DOUBLE_PLUS.strip()]
STATEMENTS = ["Lemma double_spec : forall n, double n = n + n.", "Lemma double_mul : forall n, double n = 2 * n."]
A = HEADER + DEFINITION + DOUBLE_SPEC + DOUBLE_3
B = "From Proj Require Import A.\nRequire Import Lia.\n\n" + DOUBLE_MONO + "\n" + DOUBLE_MUL + DOUBLE_PLUS
