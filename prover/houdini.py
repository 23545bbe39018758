"""Houdini-style loop-invariant inference for Dafny, without a model.

For every ``while`` loop of every method, candidate invariants come from
templates over the program's own text:

- ``bounds``: the guard weakened to hold at exit (``i < n`` gives ``i <= n``)
  and index ranges of the arrays and sequences the loop indexes;
- ``nonneg``: ``0 <= v`` for every variable the loop assigns;
- ``post``: each postcondition of the method with the loop's bound replaced by
  its counter (``forall k :: 0 <= k < n ==> P`` becomes ``... k < i ...``), and
  the postcondition itself;
- ``frame``: ``a[..] == old(a[..])`` for arrays the method may modify and the
  loop does not touch, ``multiset(a[..]) == multiset(old(a[..]))`` when the
  method promises a permutation.

All candidates go in at once; Dafny refutes some (not true on entry, not
maintained, not well formed); those are dropped and Dafny runs again, until
what is left is inductive; then the program is checked with the full audit
against the problem. Only the checker's word counts: a program is proved when
the final check accepts it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lemmata.dsl.dafny.program import LOOP_SPECS, Declaration, clause_end, close_group, parse
from lemmata.dsl.dafny.tokens import DafnySyntaxError, Token
from lemmata.dsl.text import top_level_operators
from lemmata.verifiers.result import CheckResult

MAX_ROUNDS = 12  # Dafny 2.3 reports about one refuted invariant per loop and round


@dataclass(frozen=True)
class Candidate:
    loop: int  # index of the loop's body "{" among the program's tokens (its offset)
    text: str
    template: str
    keyword: str = "invariant"  # or "decreases": a termination measure, dropped the same way when refuted


@dataclass
class HoudiniResult:
    proved: bool
    text: str  # the program with the invariants that survived
    result: CheckResult | None
    rounds: int = 0
    kept: list[Candidate] = field(default_factory=list)
    dropped: int = 0


def _join(tokens: list[Token]) -> str:
    out = ""
    for token in tokens:
        glue = "" if not out or token.text in (")", "]", ",", ";", ".", "[") or out.endswith(("(", "[", ".", "!")) else " "
        out += glue + token.text
    return out


def _loops(body: list[Token]) -> list[tuple[list[Token], int]]:
    """(guard tokens, index of the body's "{") of each while loop in a method body."""
    found = []
    for k, token in enumerate(body):
        if token.text != "while":
            continue
        guard_end = j = clause_end(body, k + 1, len(body), LOOP_SPECS)
        while j < len(body) and body[j].text in LOOP_SPECS:  # clauses the loop has already
            j = clause_end(body, j + 1, len(body), LOOP_SPECS)
        guard = body[k + 1: guard_end]
        if guard and guard[0].text == "(" and guard[-1].text == ")":
            guard = guard[1:-1]
        found.append((guard, j))
    return found


_COMPARISON = {"<": "<=", ">": ">="}


def _conjuncts(guard: list[Token]) -> list[list[Token]]:
    """The guard split at its top-level ``&&``."""
    parts, current, depth = [], [], 0
    for token in guard:
        if token.text in ("(", "["):
            depth += 1
        elif token.text in (")", "]"):
            depth -= 1
        if depth == 0 and token.text == "&&":
            parts.append(current)
            current = []
        else:
            current.append(token)
    return [p for p in parts + [current] if p]


def _word(name: str) -> str:
    return rf"(?<![\w.]){re.escape(name)}(?![\w'?])"


def _bound_names(text: str) -> set[str]:
    """Names a quantifier, comprehension or lambda of ``text`` binds."""
    names: set[str] = set()
    for m in re.finditer(r"\b(?:forall|exists|set|map|iset|imap)\s+([^:|]*?(?::[^:|]*?)?)\s*(?:::|\|)", text):
        for part in m[1].split(","):
            name = part.split(":")[0].strip()
            if re.fullmatch(r"[A-Za-z_][\w'?]*", name):
                names.add(name)
    return names


def with_counter(text: str, bound: str, counter: str) -> str | None:
    """``text`` with the loop's ``bound`` replaced by its ``counter``; a bound variable that shares the
    counter's name is renamed first (``forall i :: 0 <= i < n`` -> ``forall i' :: 0 <= i' < i``)."""
    if not re.search(_word(bound), text):
        return None
    if counter in _bound_names(text):
        text = re.sub(_word(counter), counter + "'", text)
    return re.sub(_word(bound), counter, text)


def _split_top(text: str, operator: str) -> list[str]:
    """``text`` split at ``operator`` outside brackets (``==>`` never matches inside ``<==>``)."""
    parts, start = [], 0
    for op, at in top_level_operators(text, (operator, "<==>")):
        if op == operator:
            parts.append(text[start:at])
            start = at + len(op)
    return [p.strip() for p in parts + [text[start:]] if p.strip()]


def _unwrap(text: str) -> str:
    """``text`` without parentheses around all of it."""
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch in "([{") - (ch in ")]}")
        if depth < 0:
            return False
    return depth == 0


def _pieces(text: str) -> list[str]:
    """A postcondition, its consequent (after the first ``==>``), and the conjuncts of both."""
    whole = [text]
    implication = _split_top(text, "==>")
    if len(implication) > 1:
        whole.append(_unwrap(" ==> ".join(implication[1:])))
    pieces = []
    for part in whole:
        pieces.append(part)
        conjuncts = _split_top(part, "&&")
        if len(conjuncts) > 1:
            pieces += [_unwrap(c) for c in conjuncts]
    return list(dict.fromkeys(pieces))


def candidates_for(method: Declaration) -> list[Candidate]:
    """The template candidates of every loop of ``method`` (an inner loop also gets its outer loops')."""
    body = method.body or []
    ensures = [_join(c.tokens) for c in method.clauses if c.keyword == "ensures"]
    modifies = [t.text for c in method.clauses if c.keyword == "modifies" for t in c.tokens if t.kind == "ident"]
    found: list[Candidate] = []
    enclosing: list[tuple[int, int, list[Candidate]]] = []  # (body start, body end, candidates) of outer loops
    for guard, opening in _loops(body):
        if opening >= len(body):
            continue
        where, end = body[opening].offset, close_group(body, opening) - 1
        inside = body[opening: end + 1]
        own: list[Candidate] = []
        seen: set[str] = set()

        def add(text: str, template: str, keyword: str = "invariant") -> None:
            if text and text not in seen:
                seen.add(text)
                own.append(Candidate(where, text, template, keyword))

        counters: list[tuple[str, str, bool]] = []  # (counter, bound, counting up)
        if "||" not in [t.text for t in guard]:
            for part in _conjuncts(guard):
                ops = [k for k, t in enumerate(part) if t.text in ("<", "<=", ">", ">=", "!=")]
                if len(ops) != 1:
                    continue
                k = ops[0]
                left, op, right = _join(part[:k]), part[k].text, _join(part[k + 1:])
                if op in _COMPARISON:
                    add(f"{left} {_COMPARISON[op]} {right}", "bounds")
                elif op == "!=":
                    add(f"{left} <= {right}", "bounds")
                    add(f"{left} >= {right}", "bounds")
                up = op in ("<", "<=", "!=")
                counters.append((left, right, up))
                add(f"{right} - {left}" if up else f"{left} - {right}", "decreases", "decreases")
        assigned = []
        for k, token in enumerate(inside):
            if token.kind == "ident" and k + 1 < len(inside) and inside[k + 1].text in (":=", ","):
                if k == 0 or inside[k - 1].text in (";", "{", "}", ","):
                    assigned.append(token.text)
        for name in dict.fromkeys(assigned):
            add(f"0 <= {name}", "nonneg")
        written = set()
        for k, token in enumerate(inside):  # a[i] and s[i] with a plain index variable
            if token.text == "[" and k > 0 and inside[k - 1].kind == "ident" and k + 2 < len(inside) \
                    and inside[k + 1].kind == "ident" and inside[k + 2].text == "]":
                array, index = inside[k - 1].text, inside[k + 1].text
                if index in assigned:
                    add(f"0 <= {index} <= {array}.Length", "bounds")
                    add(f"0 <= {index} <= |{array}|", "bounds")
                if k + 3 < len(inside) and inside[k + 3].text == ":=":
                    written.add((array, index))
        for text in (piece for clause in ensures for piece in _pieces(clause)):
            for counter, bound, up in counters:
                add(with_counter(text, bound, counter) or "", "post")
                if up and bound.endswith(".Length"):  # a[..] over the whole array: the prefix done so far
                    array = bound[: -len(".Length")].strip()
                    if f"{array}[..]" in text.replace(" ", ""):
                        add(re.sub(rf"{re.escape(array)}\s*\[\s*\.\.\s*\]", f"{array}[..{counter}]", text), "post")
            if "old(" not in text:
                add(text, "post")
        for array in modifies:
            if not any(t.text == array for t in inside):
                add(f"{array}[..] == old({array}[..])", "frame")
            if any("multiset" in text for text in ensures):
                add(f"multiset({array}[..]) == multiset(old({array}[..]))", "frame")
        for array, index in written:  # the part of the array the loop has not reached is as it was
            add(f"forall k :: {index} <= k < {array}.Length ==> {array}[k] == old({array}[k])", "frame")
            add(f"forall k :: 0 <= k < {index} ==> {array}[k] == old({array}[k])", "frame")
        for start, stop, outer in enclosing:
            if start < opening < stop:  # what holds around an inner loop must hold inside it too
                for candidate in outer:
                    if candidate.keyword == "invariant":
                        add(candidate.text, candidate.template)
        enclosing.append((opening, end, own))
        found += own
    return found


def annotate(text: str, candidates: list[Candidate]) -> tuple[str, dict[int, Candidate]]:
    """The program with each candidate as an ``invariant``/``decreases`` line before its loop's body, indented
    under the loop's header; the returned map gives the line of each candidate."""
    by_loop: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_loop.setdefault(candidate.loop, []).append(candidate)
    out, last, lines = "", 0, {}
    for offset in sorted(by_loop):
        line_start = text.rfind("\n", 0, offset) + 1
        header = text[line_start:offset]
        indent = header[: len(header) - len(header.lstrip())]
        out += text[last:offset].rstrip(" \t")
        if not out.endswith("\n"):
            out += "\n"
        for candidate in by_loop[offset]:
            lines[out.count("\n") + 1] = candidate
            out += f"{indent}  {candidate.keyword} {candidate.text}\n"
        out += indent if header.strip() else ""
        last = offset
    return out + text[last:], lines


Check = Callable[[str], CheckResult]  # a whole program -> the audited verdict against the problem


def infer(problem_text: str, check: Check, *, log: Callable[[str], None] | None = None,
          alone: CheckResult | None = None) -> HoudiniResult:
    """Dafny alone (unless ``alone`` is its answer already), then template invariants pruned by Dafny until
    inductive. ``check`` must audit against the problem: only its ``accepted`` makes a proof."""
    alone = alone if alone is not None else check(problem_text)
    if alone.accepted:
        return HoudiniResult(True, problem_text, alone)
    try:
        program = parse(problem_text)
    except DafnySyntaxError:
        return HoudiniResult(False, problem_text, alone)
    candidates = [c for d in program.declarations if d.kind == "method" and d.body for c in candidates_for(d)]
    if not candidates:
        return HoudiniResult(False, problem_text, alone)
    dropped, result, text = 0, alone, problem_text
    for rounds in range(1, MAX_ROUNDS + 1):
        text, lines = annotate(problem_text, candidates)
        result = check(text)
        if log:
            log(f"round {rounds}: {len(candidates)} candidates, {result.verdict.value}")
        if result.accepted:
            return HoudiniResult(True, text, result, rounds, candidates, dropped)
        refuted = {lines[d.span.line] for d in result.diagnostics
                   if d.span is not None and d.severity.value == "error" and d.span.line in lines}
        if not refuted:
            return HoudiniResult(False, text, result, rounds, candidates, dropped)
        candidates = [c for c in candidates if c not in refuted]
        dropped += len(refuted)
        if not candidates:
            break
    return HoudiniResult(False, text, result, MAX_ROUNDS, candidates, dropped)


__all__ = ["Candidate", "Check", "HoudiniResult", "annotate", "candidates_for", "infer"]
