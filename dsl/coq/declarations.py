"""What a Coq document declares, read from its sentences without running Coq.

Used for three things: finding the target theorem of a problem file and the
header before it; locating unfinished holes (``admit``, ``Admitted``) so they
can be reported with their positions; and naming suspicious commands (new
axioms, disabled kernel checks, state-rewinding commands) so a rejection comes
with a readable reason. Coq itself stays the authority: the audit's verdict
rests on ``Print Assumptions`` and the kernel's statement comparison, and this
scan only explains and adds fail-closed checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lemmata.dsl.coq.sentences import Sentence, split_sentences
from lemmata.dsl.text import NoSuchTheorem

THEOREM_KEYWORDS = (
    "Theorem",
    "Lemma",
    "Fact",
    "Remark",
    "Corollary",
    "Proposition",
    "Property",
    "Example",
)
_ATTRIBUTES = r"(?:#\[[^\]]*\]\s*)*(?:(?:Local|Global|Polymorphic|Monomorphic|Program|Private)\s+)*"
_IDENT = r"[A-Za-z_\u00C0-\uFFFF][\w'\u00C0-\uFFFF]*"
_THEOREM = re.compile(rf"{_ATTRIBUTES}(?P<kw>{'|'.join(THEOREM_KEYWORDS)})\s+(?P<name>{_IDENT})")
_DEFINITION = re.compile(
    rf"{_ATTRIBUTES}(?:Definition|Fixpoint|CoFixpoint|Function|Let)\s+(?P<name>{_IDENT})"
)
_AXIOM = re.compile(
    rf"{_ATTRIBUTES}(?P<kw>Axioms?|Parameters?|Conjectures?|Hypothes(?:is|es)|Variables?|Context)\b\s*(?P<rest>.*)",
    re.S,
)
_SECTION = re.compile(rf"Section\s+(?P<name>{_IDENT})\s*\.")
_MODULE = re.compile(rf"{_ATTRIBUTES}Module\s+(?:Type\s+)?(?:(?:Import|Export)\s+)?(?P<name>{_IDENT})\b(?P<rest>[^.]*)\.", re.S)
_END = re.compile(rf"End\s+(?P<name>{_IDENT})\s*\.")
_HOLE_TACTIC = re.compile(r"(?<![\w'.])(admit|give_up)(?![\w'])")
_ADMITTED = re.compile(r"(Admitted|Admit\s+Obligations)\s*\.")
_UNSAFE_FLAGS = re.compile(
    r"(?:Local\s+|Global\s+|#\[[^\]]*\]\s*)*Unset\s+(Guard|Positivity|Universe)\s+Checking\b"
    r"|(?:Local\s+|Global\s+)*Set\s+Type\s+In\s+Type\b"
    r"|#\[\s*(bypass_check\([^\]]*\))\s*\]"
)
# Commands that rewind or leave the checker's state; a checked document has no
# business using them, and in a warm session they would reach past the attempt.
_FORBIDDEN = re.compile(r"(Reset|Back|BackTo|Quit|Drop|Restore\s+State|Write\s+State)\b")


# Commands that read or write files outside the document, change directory or load native code. A
# local user may want them; the daemon checks strangers' text and refuses them (``outside_access``).
_OUTSIDE = re.compile(
    r"(?:(?:Local|Global|Time|Fail|Succeed|Timeout\s+\d+)\s+)*"
    r"(Redirect|Load|Cd|Add\s+(?:Rec\s+)?LoadPath|Add\s+ML\s+Path|Remove\s+LoadPath|Declare\s+ML\s+Module"
    r"|(?:Recursive\s+|Separate\s+)?Extraction\s+(?:Library|\"|TestCompile)|Separate\s+Extraction"
    r"|Set\s+Extraction\s+Output\s+Directory|Locate\s+File|Print\s+(?:ML\s+)?(?:LoadPath|Path)"
    r"|From\s+\S+\s+Extra\s+Dependency)(?![\w'])")


def outside_access(text: str) -> list[tuple[str, int]]:
    """(command, 1-based line) of each command that reaches outside the document: files, directories,
    native plug-ins. Raises ``CoqSyntaxError``."""
    found = []
    for sentence in split_sentences(text).sentences:
        code = sentence.code().strip()
        if m := _OUTSIDE.match(code):
            start = sentence.start + (len(sentence.text) - len(sentence.text.lstrip()))
            found.append((" ".join(m[1].split()).rstrip('"').strip(), text.count("\n", 0, start) + 1))
    return found


_REQUIRE = re.compile(r"(?:From\s+\S+\s+)?Require\s")
_IMPORTING = re.compile(r"\s+(?:Import|Export)(?=\s)")


def library_preload(text: str, limit: int | None = None) -> str:
    """``Require`` sentences (without ``Import``/``Export``) for the libraries the document's leading
    ``Require`` sentences load (the first ``limit`` of them), one per line, in order: what a warm session
    can load before the document so that the document's own ``Require Import`` lines only import.
    Raises ``CoqSyntaxError``."""
    preload: list[str] = []
    for sentence in split_sentences(text).sentences:
        code = " ".join(sentence.code().split())
        if not _REQUIRE.match(code) or len(preload) == limit:
            break
        preload.append(_IMPORTING.sub("", code))
    return "\n".join(preload)


@dataclass(frozen=True)
class TheoremDecl:
    name: str
    keyword: str
    sentence: Sentence
    index: int  # position in the sentence list
    depth: int  # nesting of Section/Module around it (0 = top level)


@dataclass(frozen=True)
class Finding:
    kind: str  # "hole", "axiom", "unsafe", "forbidden"
    what: str  # e.g. "admit", "Axiom ax", "Unset Guard Checking"
    start: int
    end: int


@dataclass
class CoqOutline:
    sentences: list[Sentence]
    theorems: list[TheoremDecl] = field(default_factory=list)
    definitions: list[TheoremDecl] = field(default_factory=list)  # transparent definitions, same shape
    findings: list[Finding] = field(default_factory=list)
    trailing_start: int | None = None

    def theorem(self, name: str) -> TheoremDecl | None:
        top = [t for t in self.theorems if t.name == name and t.depth == 0]
        return top[-1] if top else None

    def top_level_theorems(self) -> list[TheoremDecl]:
        return [t for t in self.theorems if t.depth == 0]


_PROOF_START = re.compile(r"Proof\b[^.]*\.")  # Proof. / Proof using x. / Proof with t.
_CLOSER = re.compile(r"(Qed|Defined|Admitted|Abort(?:\s+All)?|Save\s+\S+)\s*\.")


@dataclass(frozen=True)
class ProofSpan:
    """Where a top-level theorem's proof lies: between its ``Proof`` sentence (or statement) and its closer."""

    theorem: TheoremDecl
    body_start: int  # offset just after the `Proof ...` sentence (or the statement when there is none)
    body_end: int  # offset where the closing sentence starts
    closer: str  # Qed, Defined, Admitted, ...
    end: int  # offset just after the closing sentence


def proof_spans(doc: CoqOutline) -> list[ProofSpan]:
    """The proof of every top-level theorem that has a closing sentence, in order."""
    spans = []
    sentences = doc.sentences
    for theorem in doc.top_level_theorems():
        j, start = theorem.index + 1, theorem.sentence.end
        if j < len(sentences) and _PROOF_START.fullmatch(sentences[j].code().strip()):
            start, j = sentences[j].end, j + 1
        while j < len(sentences) and not _CLOSER.fullmatch(sentences[j].code().strip()):
            j += 1
        if j < len(sentences):
            closer = _CLOSER.fullmatch(sentences[j].code().strip())[1].split()[0]
            spans.append(ProofSpan(theorem, start, sentences[j].start, closer, sentences[j].end))
    return spans


def target_theorem(doc: CoqOutline, theorem: str | None) -> TheoremDecl:
    """The top-level theorem named ``theorem``, or the file's last one. Raises ``NoSuchTheorem``."""
    theorems = doc.top_level_theorems()
    if theorem:
        target = doc.theorem(theorem)
        if target is None:
            found = ", ".join(t.name for t in theorems) or "none"
            raise NoSuchTheorem(f"no top-level theorem named {theorem} (found: {found})")
        return target
    if not theorems:
        raise NoSuchTheorem("no Theorem/Lemma in the file")
    return theorems[-1]


def outline(text: str) -> CoqOutline:
    """Read the declarations of a Coq document. Raises ``CoqSyntaxError``."""
    split = split_sentences(text)
    result = CoqOutline(split.sentences, trailing_start=split.trailing_start)
    scopes: list[tuple[str, str]] = []  # (kind, name) of open sections/modules
    for index, sentence in enumerate(split.sentences):
        code = sentence.code().strip()
        _scan_findings(sentence, code, scopes, result.findings)
        if sentence.kind != "command":
            continue
        if m := _THEOREM.match(code):
            result.theorems.append(TheoremDecl(m["name"], m["kw"], sentence, index, len(scopes)))
        elif m := _DEFINITION.match(code):
            result.definitions.append(TheoremDecl(m["name"], "Definition", sentence, index, len(scopes)))
        elif m := _SECTION.match(code):
            scopes.append(("section", m["name"]))
        elif (m := _MODULE.match(code)) and ":=" not in m["rest"]:
            scopes.append(("module", m["name"]))
        elif m := _END.match(code):
            for k in range(len(scopes) - 1, -1, -1):
                if scopes[k][1] == m["name"]:
                    del scopes[k:]
                    break
    return result


def _scan_findings(sentence: Sentence, code: str, scopes: list[tuple[str, str]], out: list[Finding]) -> None:
    base = sentence.start + (len(sentence.text) - len(sentence.text.lstrip()))
    body = sentence.code()
    for m in _HOLE_TACTIC.finditer(body):
        if not _inside_string(body, m.start()):
            out.append(Finding("hole", m[1], sentence.start + m.start(), sentence.start + m.end()))
    if m := _ADMITTED.fullmatch(code):
        out.append(Finding("hole", m[1].split()[0], base, base + len(code)))
    if m := _AXIOM.match(code):
        keyword = m["kw"]
        in_section = any(kind == "section" for kind, _ in scopes)
        local_kind = keyword.startswith(("Hypothes", "Variable", "Context"))
        if not (local_kind and in_section):
            names = re.findall(_IDENT, m["rest"].split(":", 1)[0].replace("(", " "))
            label = f"{keyword} {' '.join(names)}".strip()
            out.append(Finding("axiom", label, base, base + len(code)))
    for m in _UNSAFE_FLAGS.finditer(code):
        out.append(Finding("unsafe", " ".join(m[0].split()), base + m.start(), base + m.end()))
    if m := _FORBIDDEN.match(code):
        out.append(Finding("forbidden", m[1], base, base + len(code)))


def _inside_string(code: str, offset: int) -> bool:
    return code.count('"', 0, offset) % 2 == 1
