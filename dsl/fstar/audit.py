"""What an F* document may not do to count as a proof, and whether it proves what the problem states.

F* checks whatever it is told to, including "take this on trust": ``assume
val``, ``admit ()``, ``--admit_smt_queries true``, ``--lax``, an
``[@@expect_failure]`` that turns a failing proof into a passing test, a
tactic's ``tadmit``, ``magic``/``unsafe_coerce`` that forge any type, an
``assume`` inside a refinement. The audit reads the source (token by token,
after ``source.py``) and refuses all of that, except what the problem itself
already contains (its own axioms are the user's to state). Options are held
to an allow-list: fuel, rlimits and solver settings that only change how hard
F* tries are fine; anything else is refused rather than understood.

With a problem, every declaration the problem makes without a hole must
appear unchanged, and every target (a declaration whose body is ``admit ()``,
or a ``val`` the problem leaves undefined) must be defined with exactly the
problem's signature and specification.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from lemmata.dsl.fstar.source import Declaration, Token

# Names that make F* take a claim on trust wherever they appear in a term.
TRUSTING_NAMES = {
    "admit": "admit",
    "admitP": "admitP",
    "assume": "assume",
    "tadmit": "the tactic tadmit",
    "tadmit_t": "the tactic tadmit_t",
    "admit_all": "the tactic admit_all",
    "admit_dump": "the tactic admit_dump",
    "magic": "magic (a value of any type)",
    "unsafe_coerce": "unsafe_coerce (a value of any type)",
    "admit_smt_queries": "admit_smt_queries",
}
FAILURE_ATTRIBUTES = {"expect_failure", "expect_lax_failure"}
TRUSTING_ATTRIBUTES = {"admit_termination", "assume_strictly_positive", "strictly_positive"}
# Options that change only how hard F* and its solver try, or what they print.
ALLOWED_OPTIONS = {
    "z3rlimit", "z3rlimit_factor", "fuel", "ifuel", "initial_fuel", "max_fuel", "initial_ifuel", "max_ifuel",
    "z3seed", "z3refresh", "z3version", "split_queries", "query_stats", "query_cache", "quake", "quake_lo",
    "quake_hi", "quake_keep", "retry", "proof_recovery", "using_facts_from", "smtencoding.elim_box",
    "smtencoding.nl_arith_repr", "smtencoding.l_arith_repr", "smtencoding.valid_intro", "smtencoding.valid_elim",
    "no_smt", "detail_errors", "hint_info", "report_assumes", "keep_query_captions", "timing", "tactic_trace",
    "tactic_trace_d", "ide_id_info_off", "warn_default_effects", "print_implicits", "print_universes",
    "print_full_names", "print_effect_args", "print_bound_var_types", "ugly", "compat_pre_typed_indexed_effects",
    "compat_pre_core", "disallow_unification_guards", "lexicographic_ordering",
}
ALLOWED_PRAGMAS = {"#set-options", "#push-options", "#pop-options", "#reset-options", "#restart-solver", "#light"}
HOLE = ("admit", "(", ")")


@dataclass(frozen=True)
class Finding:
    what: str
    line: int

    def __str__(self) -> str:
        return f"{self.what} at line {self.line}"


def holes(declaration: Declaration) -> list[Token]:
    """Each ``admit ()`` in the declaration's body: a place left for a proof (the repair hole)."""
    tokens = declaration.body()
    return [t for i, t in enumerate(tokens) if tuple(x.text for x in tokens[i:i + 3]) == HOLE]


def is_target(declaration: Declaration) -> bool:
    """A declaration the problem leaves to be proved: a ``let`` whose body is a hole."""
    return declaration.kind == "let" and bool(holes(declaration))


def options_of(declaration: Declaration) -> list[tuple[str, str | None]]:
    """(option, value) of each ``--option [value]`` a pragma sets."""
    strings = [t.text for t in declaration.tokens if t.kind == "string"]
    found: list[tuple[str, str | None]] = []
    for string in strings:
        try:
            words = shlex.split(string[1:-1])
        except ValueError:
            words = string[1:-1].split()
        for index, word in enumerate(words):
            if word.startswith("--"):
                value = words[index + 1] if index + 1 < len(words) and not words[index + 1].startswith("--") else None
                found.append((word[2:], value))
    return found


def inherited(declaration: Declaration, problem: list[Declaration] | None) -> bool:
    """The declaration is one the problem makes, unchanged: what it takes on trust, the user stated."""
    return problem is not None and any(declaration.words() == d.words() for d in problem if not is_target(d))


def findings(declaration: Declaration) -> list[Finding]:
    """Everything in ``declaration`` that would make F* take something on trust."""
    out: list[Finding] = []
    line = declaration.line
    if "assume" in declaration.qualifiers:
        out.append(Finding(f"'assume {declaration.kind}' (an axiom)", line))
    if declaration.kind == "pragma":
        pragma = declaration.tokens[0]
        if pragma.text not in ALLOWED_PRAGMAS:
            out.append(Finding(f"the pragma {pragma.text}", pragma.line))
        for option, value in options_of(declaration):
            if option == "admit_smt_queries" and (value or "").lower() == "false":
                continue
            if option not in ALLOWED_OPTIONS:
                out.append(Finding(f"the option --{option}" + (f" {value}" if value else ""), pragma.line))
    if declaration.kind == "splice":
        out.append(Finding(f"{declaration.tokens[0].text} (declarations made by a tactic cannot be audited)", line))
    attributes = declaration.attribute_words()
    for word in sorted(attributes & TRUSTING_ATTRIBUTES):
        out.append(Finding(f"the attribute {word}", line))
    body_holes = {t.offset for t in holes(declaration)}
    leading = len(declaration.qualifiers) + sum(len(a) + 2 for a in declaration.attributes)
    for index, token in enumerate(declaration.tokens):
        if token.kind != "ident" or token.text not in TRUSTING_NAMES or token.offset in body_holes:
            continue  # a hole is an unfinished proof, reported as such, not a trick
        if token.text == "assume" and index < leading:
            continue  # the qualifier, reported above
        out.append(Finding(TRUSTING_NAMES[token.text], token.line))
    for string in (t for t in declaration.tokens if t.kind == "string"):
        if declaration.kind != "pragma" and re.search(r"--(admit_smt_queries\s+true|lax)\b", string.text):
            out.append(Finding(f"options in a string: {string.text[:60]}", string.line))
    return out


def expects_failure(declaration: Declaration) -> bool:
    """``[@@expect_failure]``: F* checks that the declaration fails, then drops it."""
    return bool(declaration.attribute_words() & FAILURE_ATTRIBUTES)


def compare(problem: list[Declaration], candidate: list[Declaration], theorem: str | None = None) -> list[str]:
    """Why ``candidate`` does not state what ``problem`` states (empty: it does)."""
    reasons: list[str] = []
    module = next((d for d in problem if d.kind in ("module", "interface")), None)
    theirs = next((d for d in candidate if d.kind in ("module", "interface")), None)
    if module is not None and (theirs is None or theirs.name != module.name):
        reasons.append(f"the module must be {module.name} as in the problem"
                       + (f", not {theirs.name}" if theirs is not None else ""))
    kept = [d.words() for d in candidate if not expects_failure(d)]
    defined = _defined(candidate)
    declared = {n for d in problem if d.kind == "val" for n in d.names}
    proved_in_problem = _defined(problem)
    for declaration in problem:
        if declaration.kind in ("module", "interface"):
            continue
        if is_target(declaration) and (theorem is None or theorem in declaration.names):
            reasons += _target_reasons(declaration, defined, declared, candidate)
            continue
        if declaration.kind == "val" and declaration.name not in proved_in_problem \
                and "assume" not in declaration.qualifiers:
            reasons += _target_reasons(declaration, defined, declared, candidate)
        elif declaration.words() not in kept:
            what = f"{declaration.kind} {declaration.name}" if declaration.name else f"the {declaration.kind} " \
                f"at line {declaration.line}"
            reasons.append(f"{what} must be kept exactly as the problem has it")
    vals = [n for d in candidate if d.kind == "val" for n in d.names]
    lets = [n for d in candidate if d.kind in ("let", "type") and not expects_failure(d) for n in d.names if n != "_"]
    for name in sorted({n for n in lets if lets.count(n) > 1} | {n for n in vals if vals.count(n) > 1}):
        reasons.append(f"{name} is defined more than once")
    first = next((d.line for d in candidate if d.kind in ("let", "val", "type")), None)
    opened = {tuple(d.words()) for d in problem if d.kind in ("open", "include", "friend")}
    for declaration in candidate:
        if declaration.kind in ("open", "include", "friend") and tuple(declaration.words()) not in opened \
                and first is not None and declaration.line > first:
            reasons.append(f"the {declaration.kind} at line {declaration.line} comes after definitions it could "
                           "shadow; put it with the others at the top")
    return reasons


def _defined(declarations: list[Declaration]) -> dict[str, Declaration]:
    """Each ``let``-defined name and its (last) definition, declarations expected to fail left out."""
    return {n: d for d in declarations if d.kind == "let" and not expects_failure(d) for n in d.names}


def _target_reasons(target: Declaration, defined: dict[str, Declaration], declared: set[str],
                    kept: list[Declaration]) -> list[str]:
    """A target's ``val`` (kept unchanged) fixes its type; without one, its ``let`` signature must be the problem's."""
    name = target.name or "?"
    proof = defined.get(name)
    if target.kind == "val" and target.words() not in [d.words() for d in kept]:
        return [f"val {name} must be kept exactly as the problem has it"]
    if proof is None:
        return [f"{name} is not defined (the problem asks for its proof)"]
    if target.kind == "let" and name not in declared and proof.signature() != target.signature():
        return [f"{name} does not state exactly the problem's signature and specification"]
    return []


def targets(problem: list[Declaration], theorem: str | None = None) -> list[Declaration]:
    """The declarations whose proofs the problem asks for (``theorem``: only that one)."""
    defined = _defined(problem)
    found = [d for d in problem if is_target(d) or (d.kind == "val" and d.name not in defined
                                                    and "assume" not in d.qualifiers)]
    return [d for d in found if theorem is None or theorem in d.names]


__all__ = ["ALLOWED_OPTIONS", "Finding", "compare", "expects_failure", "findings", "holes", "inherited", "is_target",
           "options_of", "targets"]
