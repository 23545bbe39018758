"""Parsing coqc and coqtop messages, and Print Assumptions answers."""

from lemmata.verifiers.coq.axioms import ALLOWED_AXIOMS, is_allowed, parse_assumptions
from lemmata.verifiers.coq.messages import clean_toplevel, parse_messages
from lemmata.verifiers.result import Severity

COQC = '''File "./Check_x.v", line 3, characters 0-21:
Warning: Use of “Require” inside a module is fragile. It is not recommended
to use this functionality in finished proof scripts.
[require-in-module,fragile]
File "./Check_x.v", line 12, characters 9-18:
Error:
In environment
x : R
The term "eq_refl" has type "3 = 3" while it is expected to have type
 "x + 0 = x".
'''

COQTOP = '''<prompt>t < 7 |t| 0 < </prompt>Toplevel input, characters 7-16:
> exact (eq_refl n).
>        ^^^^^^^^^
Error:
In environment
n : nat
The term "eq_refl" has type "n = n" while it is expected to have type
 "n + 0 = n".

<prompt>t < 7 |t| 0 < </prompt>'''


def test_coqc_error_with_location_and_wrapper_warning_dropped():
    (error,) = parse_messages(COQC)
    assert error.severity is Severity.ERROR and error.line == 12 and (error.start, error.end) == (9, 18)
    assert error.text.startswith("In environment") and '"x + 0 = x".' in error.text


def test_coqtop_error_relative_to_sentence():
    (error,) = parse_messages(clean_toplevel(COQTOP))
    assert error.line is None and (error.start, error.end) == (7, 16)
    assert "expected to have type" in error.text


def test_print_assumptions_entries():
    answer = """Axioms:
ClassicalDedekindReals.sig_forall_dec
  : forall P : nat -> Prop,
    (forall n : nat, {P n} + {~ P n}) -> {n : nat | ~ P n} + {forall n : nat, P n}
Classical_Prop.classic : forall P : Prop, P \\/ ~ P
f is assumed to be guarded.
Fetching opaque proofs from disk for Coq.Reals.Rdefinitions
"""
    assert parse_assumptions(answer) == [
        "ClassicalDedekindReals.sig_forall_dec", "Classical_Prop.classic", "f is assumed to be guarded."]
    assert parse_assumptions("Closed under the global context\n") == []


def test_allow_list_matches_library_names_not_document_names():
    local = ("LemmataProof_1.",)
    assert is_allowed("Classical_Prop.classic", ALLOWED_AXIOMS, local)
    assert is_allowed("ClassicalDedekindReals.sig_not_dec", ALLOWED_AXIOMS, local)
    assert not is_allowed("LemmataProof_1.Classical_Prop.classic", ALLOWED_AXIOMS, local)
    assert not is_allowed("f is assumed to be guarded.", ALLOWED_AXIOMS, local)
    assert not is_allowed("my_axiom", ALLOWED_AXIOMS, local)


def test_the_kernels_primitive_numbers_are_trusted_and_only_they():
    local = ("LemmataProof_1.",)
    for printed in ("Uint63.sub_spec", "PrimInt63.sub", "PrimFloat.sqrt", "FloatAxioms.opp_spec",
                    "Coq.Floats.PrimFloat.mul"):
        assert is_allowed(printed, ALLOWED_AXIOMS, local), printed
    for printed in ("LemmataProof_1.Uint63.sub_spec", "Uint63x.sub_spec", "MyFloat.sqrt", "sub_spec"):
        assert not is_allowed(printed, ALLOWED_AXIOMS, local), printed
