"""Which assumptions a Coq proof may rest on, and reading ``Print Assumptions``.

The allow-list is the standard library's classical axioms: excluded middle,
functional and propositional extensionality, proof irrelevance, the
description and choice principles, and the two axioms the Reals library of
Coq 8.16 is built on (``ClassicalDedekindReals.sig_forall_dec`` and
``sig_not_dec``), and the kernel's primitive 63-bit integers and floats: the
operations Coq's kernel itself computes (``PrimInt63``, ``PrimFloat``) and
the axioms that specify them (``Uint63``, ``FloatAxioms``), which proofs by
computation on machine numbers (the ``interval`` tactic, certificates) rest
on; they are part of Coq's trusted base, not something a proof can add.
Anything else ``Print Assumptions`` lists, including the
kernel's own notes such as "f is assumed to be guarded" (a ``Unset Guard
Checking`` fixpoint), is refused.
"""

from __future__ import annotations

ALLOWED_AXIOMS = frozenset(
    {
        "Coq.Logic.Classical_Prop.classic",
        "Coq.Logic.FunctionalExtensionality.functional_extensionality_dep",
        "Coq.Logic.PropExtensionality.propositional_extensionality",
        "Coq.Logic.ProofIrrelevance.proof_irrelevance",
        "Coq.Logic.Eqdep.Eq_rect_eq.eq_rect_eq",
        "Coq.Logic.Description.constructive_definite_description",
        "Coq.Logic.IndefiniteDescription.constructive_indefinite_description",
        "Coq.Logic.ClassicalEpsilon.constructive_indefinite_description",
        "Coq.Logic.Epsilon.epsilon_statement",
        "Coq.Logic.RelationalChoice.relational_choice",
        "Coq.Reals.ClassicalDedekindReals.sig_forall_dec",
        "Coq.Reals.ClassicalDedekindReals.sig_not_dec",
    }
)


KERNEL_PRIMITIVES = ("Coq.Numbers.Cyclic.Int63.PrimInt63", "Coq.Numbers.Cyclic.Int63.Uint63", "Coq.Floats.PrimFloat",
                     "Coq.Floats.FloatAxioms")


def parse_assumptions(text: str) -> list[str]:
    """The entries of one ``Print Assumptions`` answer, each as its printed name.

    An entry starts on an unindented line (``name : type`` or a kernel note
    such as ``f is assumed to be guarded.``); indented lines continue its type.
    """
    entries: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line[0] in " \t":
            continue
        stripped = line.strip()
        if stripped.startswith("Fetching opaque proofs from disk"):
            continue  # coqtop's progress note while it walks library proofs
        if stripped == "Closed under the global context" or stripped.endswith(":") and " " not in stripped[:-1].strip():
            continue  # a section heading such as "Axioms:"
        if stripped in ("Section Variables:", "Opaque constants:", "Transparent constants:"):
            continue
        name, sep, _ = stripped.partition(" : ")
        entries.append(name.strip() if sep else stripped)
    return entries


def is_allowed(printed: str, allowed: frozenset[str], local_prefixes: tuple[str, ...]) -> bool:
    """Whether a printed assumption name denotes an allow-listed axiom.

    Coq prints the shortest name that resolves to the constant from the audit's
    top level, where nothing is imported; so a library axiom prints as a dotted
    suffix of its full name, while anything the checked document declared
    carries the document's module prefix (``local_prefixes``) and never matches.
    """
    if printed.startswith(local_prefixes) or " " in printed:
        return False
    if any(printed.startswith((module + ".", module.rsplit(".", 1)[1] + ".")) for module in KERNEL_PRIMITIVES):
        return True
    return any(full == printed or full.endswith("." + printed) for full in allowed)
