"""The Coq script every check runs, and how its audit answers are read back.

Both execution paths (a coqc run over one generated file, and a warm coqtop
session fed sentence by sentence) run the same script, so they reach the same
verdicts:

1. ``Module LemmataSpec_<nonce>.`` the reference problem, its proof replaced by
   ``Admitted``, ``End``: the statement is elaborated by Coq *before* the proof
   is read and in its own module, so nothing the proof declares (notations,
   shadowing definitions, scopes) can change what the statement means;
2. ``Module LemmataProof_<nonce>.`` header and proof text, ``End``: whatever
   the proof imports, opens or redefines stays inside the module;
3. the audit, at a top level where nothing is imported: ``constr_eq`` between
   the spec theorem's type and the proof theorem's type (syntactic equality of
   the elaborated terms, up to binder names), then ``Print Assumptions``.

Audit answers are bracketed by ``idtac`` markers carrying the nonce. The
checked text is written before the nonce is drawn, so it cannot print a marker;
anything missing means the audit did not run, and the check fails closed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from lemmata.dsl.coq.declarations import outline, target_theorem
from lemmata.dsl.coq.sentences import CoqSyntaxError
from lemmata.dsl.text import NoSuchTheorem
from lemmata.verifiers.coq.axioms import is_allowed, parse_assumptions
from lemmata.verifiers.coq.messages import clean_toplevel
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.interface import Statement
from lemmata.verifiers.result import TargetReport


# What both paths say of a document that ends inside a proof (coqc: "Open proofs remain" at the module's End).
UNFINISHED = "the proof is not finished (no Qed/Defined)"


def new_nonce() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True)
class SpecBlock:
    """The reference statement, ready to be elaborated in its own module."""

    theorem: str
    text: str  # the problem's sentences up to its theorem, then "Admitted."
    # Top-level definitions the problem makes before its theorem. A proof file
    # repeats them, which makes new kernel constants; the audit unfolds them on
    # both sides so that identical definitions compare equal.
    definitions: tuple[str, ...] = ()


def spec_block(statement: Statement) -> SpecBlock:
    """Cut a problem file down to its header and target theorem statement."""
    try:
        doc = outline(statement.text)
    except CoqSyntaxError as exc:
        raise InputError(f"{statement.origin}: {exc}") from None
    try:
        target = target_theorem(doc, statement.theorem)
    except NoSuchTheorem as exc:
        raise InputError(f"{statement.origin}: {exc}") from None
    text = statement.text[: target.sentence.end] + "\nAdmitted.\n"
    definitions = tuple(dict.fromkeys(
        d.name for d in doc.definitions if d.depth == 0 and d.index < target.index))
    return SpecBlock(target.name, text, definitions)


@dataclass
class CoqScript:
    """One check's script; the nonce names its modules and markers."""

    nonce: str = field(default_factory=new_nonce)
    spec: SpecBlock | None = None

    @property
    def spec_module(self) -> str:
        return f"LemmataSpec_{self.nonce}"

    @property
    def proof_module(self) -> str:
        return f"LemmataProof_{self.nonce}"

    def prologue(self) -> list[str]:
        """Commands that run before the checked text: the spec and the opening of the proof module."""
        commands = []
        if self.spec is not None:
            commands += [f"Module {self.spec_module}.", self.spec.text, f"End {self.spec_module}."]
        commands.append(f"Module {self.proof_module}.")
        return commands

    def epilogue(self) -> str:
        return f"End {self.proof_module}."

    def _marker(self, what: str) -> str:
        return f"lemmata:{self.nonce}:{what}"

    def _say(self, what: str) -> str:
        return f'Goal True. idtac "{self._marker(what)}". Abort.'

    def audit_commands(self, targets: list[str]) -> list[str]:
        commands = [self._say("begin")]
        for name in targets:
            qualified = f"{self.proof_module}.{name}"
            if self.spec is not None:
                reference = f"{self.spec_module}.{self.spec.theorem}"
                commands.append(
                    f"Goal True. first [ {self._unfolded('a', reference, self.spec_module)} "
                    f"{self._unfolded('b', qualified, self.proof_module)} constr_eq a b; "
                    f'idtac "{self._marker("same:" + name)}" | idtac "{self._marker("differs:" + name)}" ]. Abort.'
                )
            commands.append(self._say("assumptions:" + name))
            commands.append(f"Print Assumptions {qualified}.")
        commands.append(self._say("end"))
        return commands

    def _unfolded(self, var: str, constant: str, module: str) -> str:
        """Ltac binding ``var`` to the type of ``constant``, the problem's own definitions unfolded (delta only)."""
        assert self.spec is not None
        if not self.spec.definitions:
            return f"let {var} := type of {constant} in"
        names = " ".join(f"{module}.{d}" for d in self.spec.definitions)
        return f"let {var}0 := type of {constant} in let {var} := eval cbv delta [{names}] in {var}0 in"

    def read_audit(self, output: str, targets: list[str], allowed: frozenset[str]) -> tuple[list[TargetReport], bool]:
        """Target reports from the audit's output, and whether the audit ran to its end."""
        text = clean_toplevel(output)
        begin = text.rfind(self._marker("begin"))
        if begin < 0:
            return [TargetReport(name=t) for t in targets], False
        text = text[begin:]
        marker = re.compile(re.escape(f"lemmata:{self.nonce}:") + r"([\w:']+)")
        found = list(marker.finditer(text))
        seen = {m[1] for m in found}
        reports = []
        for name in targets:
            report = TargetReport(name=name)
            if self.spec is not None:
                if f"same:{name}" in seen:
                    report.statement_matches = True
                elif f"differs:{name}" in seen:
                    report.statement_matches = False
            for k, m in enumerate(found):
                if m[1] == f"assumptions:{name}":
                    stop = found[k + 1].start() if k + 1 < len(found) else len(text)
                    answer = _strip_goal_echo(text[m.end(): stop])
                    # An empty answer means Print Assumptions failed (coqc sends errors elsewhere).
                    if answer.strip() and "Error" not in answer and "not a defined object" not in answer:
                        report.found = True
                        prefixes = (self.proof_module + ".", self.spec_module + ".")
                        printed = parse_assumptions(answer)
                        report.axioms = [self._public(a) for a in printed]
                        report.disallowed = [self._public(a) for a in printed if not is_allowed(a, allowed, prefixes)]
            reports.append(report)
        return reports, "end" in seen

    def _public(self, name: str) -> str:
        """A printed name as the user wrote it: Lemmata's private module prefix removed."""
        for module in (self.proof_module, self.spec_module):
            name = name.replace(module + ".", "")
        return name

    def guard(self, text: str) -> None:
        """A checked text may not name this script's modules or markers."""
        if self.nonce in text:
            raise InputError("the document mentions Lemmata's private audit names")


def _strip_goal_echo(answer: str) -> str:
    # In coqtop, "Goal True" echoes its goal and "Abort" nothing; the
    # assumptions answer follows. Drop the goal display so it is not read as
    # an assumption.
    lines = answer.splitlines()
    keep: list[str] = []
    skipping = False
    for line in lines:
        if re.match(r"^\d+ goals?( \(ID \d+\))?$", line.strip()):
            skipping = True
            continue
        if skipping:
            if line.strip().startswith("====") or not line.strip() or line.startswith(" "):
                continue
            if line.strip() == "True":
                continue
            skipping = False
        keep.append(line)
    return "\n".join(keep)
