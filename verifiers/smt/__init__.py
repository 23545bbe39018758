"""SMT backend: decide IR statements with Z3 and cvc5, soundly, with checked counterexamples."""

from lemmata.verifiers.smt.backend import SmtResult, SmtVerdict, decide

__all__ = ["SmtResult", "SmtVerdict", "decide"]
