"""The spec-preserving audit of a Dafny candidate against its problem: what may change and what may not.

Dafny verifies whatever program it is given, so a candidate that weakens a
postcondition, assumes what it should prove, or rewrites the method it
should annotate verifies too. The candidate passes only if, compared with the
problem's parsed declarations:

- every declaration of the problem is still there, same kind, same header
  (name, type parameters, parameters, results);
- every ``requires``/``ensures``/``modifies``/``reads``/``decreases`` clause of
  a member is unchanged, none dropped or added;
- every function and predicate body is unchanged; every other declaration
  (datatypes, types, constants, fields, imports) is unchanged;
- every method's executable code is unchanged once the ghost annotations it
  may gain are removed: loop invariants/decreases/modifies, ``assert``s,
  ``calc`` blocks, ``reveal``s, ghost variables and their updates, calls to
  lemmas (lemma bodies are proofs: they may change freely);
- what is new is a lemma or a ghost function/predicate, with a body;
- nowhere: ``assume``, ``{:axiom}``, ``{:verify false}``, ``{:extern}``,
  ``decreases *``, a lemma or method without a body (Dafny would take it on
  trust), unless the problem itself has it in that place (``assumptions``
  lists what a candidate inherits so: the result shows it).

One addition is allowed that DafnyBench's problems need: a ``decreases``
clause on a member whose problem has none (a termination measure is a proof
hint, and DafnyBench strips them with the other hints); changing or dropping
one the problem has is refused, and ``decreases *`` always is.

Comparisons are of tokens (comments and layout do not matter).
"""

from __future__ import annotations

from lemmata.dsl.dafny.program import LOOP_SPECS, Declaration, Program, clause_end, close_group
from lemmata.dsl.dafny.tokens import Token

REFUSED_ATTRIBUTES = {"axiom": "{:axiom}", "verify": "{:verify false}", "extern": "{:extern}"}
_CALLABLE = {"method", "constructor", "lemma", "colemma", "iterator"}
_FUNCTIONS = {"function", "predicate", "copredicate"}


def _texts(tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens]


def _refused_attributes(tokens: list[Token]) -> list[tuple[str, int]]:
    found = []
    for k, token in enumerate(tokens):
        if token.kind == "attr" and k + 1 < len(tokens):
            name = tokens[k + 1].text
            if name == "verify" and k + 2 < len(tokens) and tokens[k + 2].text != "false":
                continue
            if name in REFUSED_ATTRIBUTES:
                found.append((REFUSED_ATTRIBUTES[name], token.line))
    return found


def cheats(tokens: list[Token]) -> list[tuple[str, int]]:
    """(construct, line) of everything that makes Dafny take something on trust: ``assume``, the refused
    attributes, ``decreases *``."""
    found = _refused_attributes(tokens)
    for k, token in enumerate(tokens):
        if token.text == "assume" and token.kind == "ident":
            found.append(("assume", token.line))
        elif token.text == "decreases" and k + 1 < len(tokens) and tokens[k + 1].text == "*":
            found.append(("decreases *", token.line))
    return found


def executable(body: list[Token], lemmas: set[str]) -> list[str]:
    """A method body's tokens without its ghost annotations (see the module docstring)."""
    kept: list[str] = []
    ghosts: set[str] = set()
    i, n = 0, len(body)
    at_statement_start = True

    def statement_end(j: int) -> int:
        """Index after the statement starting at ``j``: past its ";" (or its ``by { }`` block)."""
        depth = 0
        while j < n:
            text = body[j].text
            if text in ("(", "[", "{", "{:"):
                depth += 1
            elif text in (")", "]", "}"):
                if depth == 0:
                    return j  # the enclosing block ends: a last statement without ";"
                depth -= 1
            elif depth == 0 and text == ";":
                return j + 1
            elif depth == 0 and text == "by" and j + 1 < n and body[j + 1].text == "{":
                return block_end(j + 1)
            j += 1
        return j

    def block_end(j: int) -> int:
        """Index after the brace block opening at or after ``j``."""
        while j < n and body[j].text != "{":
            j += 1
        return close_group(body, j) if j < n else n

    while i < n:
        token = body[i]
        text = token.text
        if text in LOOP_SPECS:  # only loops carry these inside a method body: up to the next one or the body
            i = clause_end(body, i + 1, n, LOOP_SPECS)
            continue
        if at_statement_start:
            if text in ("assert", "reveal"):
                i = statement_end(i)
                continue
            if text == "calc":
                i = block_end(i)
                continue
            if text == "ghost" and i + 1 < n and body[i + 1].text == "var":
                j = i + 2
                while j < n and body[j].text not in (":=", ":|", ";"):
                    if body[j].kind == "ident" and body[j - 1].text != ":":
                        ghosts.add(body[j].text)
                    j += 1
                i = statement_end(i)
                continue
            if token.kind == "ident" and i + 1 < n and text in lemmas and body[i + 1].text == "(":
                i = statement_end(i)  # a lemma call
                continue
            if token.kind == "ident" and text in ghosts:
                j = i
                while j < n and body[j].text not in (";", ":=", "{", "}"):
                    j += 1
                names = [t.text for t in body[i:j] if t.kind == "ident"]
                if j < n and body[j].text == ":=" and names and all(name in ghosts for name in names):
                    i = statement_end(i)  # an update of ghost variables only
                    continue
        kept.append(text)
        at_statement_start = text in ("{", "}", ";", "else") or (text == ":" and len(kept) > 2 and kept[-3] == "label")
        i += 1
    return kept


def _member_changes(problem: Declaration, candidate: Declaration, lemmas: set[str]) -> list[str]:
    name = problem.name
    if candidate.kind != problem.kind:
        return [f"{name} was a {problem.kind} and is now a {candidate.kind}"]
    changes = []
    if _texts(candidate.header) != _texts(problem.header):
        changes.append(f"the signature of {name} changed")
    if problem.kind in _CALLABLE or problem.kind in _FUNCTIONS:
        for keyword in sorted({c.keyword for c in problem.clauses} | {c.keyword for c in candidate.clauses}):
            before = [c.text for c in problem.clauses if c.keyword == keyword]
            after = [c.text for c in candidate.clauses if c.keyword == keyword]
            if keyword == "decreases" and not before and "*" not in " ".join(after).split():
                continue  # a termination measure where the problem gave none is a proof hint (DafnyBench strips them)
            if before != after:
                what = "dropped" if len(after) < len(before) else "added" if len(after) > len(before) else "changed"
                changes.append(f"{name}: its {keyword} clauses were {what}")
    if problem.kind in _FUNCTIONS and problem.body is not None:
        if candidate.body is None or _texts(candidate.body) != _texts(problem.body):
            changes.append(f"the body of {problem.kind} {name} changed")
    elif problem.kind in ("method", "constructor") and problem.body is not None:
        if candidate.body is None:
            changes.append(f"method {name} lost its body")
        elif executable(candidate.body, lemmas) != executable(problem.body, lemmas):
            changes.append(f"the executable code of method {name} changed (only ghost annotations may be added)")
    elif problem.kind not in _CALLABLE | _FUNCTIONS | {"module", "class", "trait"}:
        if _texts(candidate.tokens) != _texts(problem.tokens):
            changes.append(f"{problem.kind} {name} changed")
    return changes


def _refusals_of_new(candidate: Declaration) -> list[str]:
    name, kind = candidate.name, candidate.kind
    if kind in ("lemma", "colemma") or (kind in _FUNCTIONS and candidate.ghost):
        return [] if candidate.body is not None else [f"new {kind} {name} has no body (Dafny would take it on trust)"]
    if kind in _FUNCTIONS:
        return [] if candidate.body is not None else [f"new {kind} {name} has no body"]
    return [f"new {kind} {name} (line {candidate.line}): only lemmas and ghost functions may be added"]


def audit(problem: Program, candidate: Program) -> list[str]:
    """Why ``candidate`` does not preserve ``problem``'s specification; empty when it does."""
    reasons: list[str] = []
    allowed = {what for what, _ in cheats(problem.tokens)}
    for what, line in cheats(candidate.tokens):
        if what not in allowed:
            reasons.append(f"{what} at line {line}: Dafny would take something on trust")
    before, after = problem.named(), candidate.named()
    lemmas = {d.name.rsplit(".", 1)[-1] for d in candidate.declarations if d.kind in ("lemma", "colemma")}
    for name, declaration in before.items():
        if name not in after:
            reasons.append(f"{declaration.kind} {name} of the problem is missing (removed or renamed)")
            continue
        reasons.extend(_member_changes(declaration, after[name], lemmas))
    for name, declaration in after.items():
        if name not in before:
            reasons.extend(_refusals_of_new(declaration))
        elif declaration.kind in ("lemma", "colemma", "method") and declaration.body is None \
                and before[name].body is not None:
            reasons.append(f"{declaration.kind} {name} has no body (Dafny would take it on trust)")
    return reasons


def assumptions(problem: Program) -> list[str]:
    """What Dafny takes on trust in the problem itself: its members without a body."""
    return [f"{d.kind} {d.name} has no body" for d in problem.declarations
            if d.kind in ("lemma", "colemma", "method", "constructor") and d.body is None]


__all__ = ["assumptions", "audit", "cheats", "executable"]
