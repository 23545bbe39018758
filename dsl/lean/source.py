"""Reading Lean 4 source as text: comments and strings blanked, declarations, and what the audit refuses.

The scan is lexical on purpose: it runs before Lean does, works where Lean is
not installed, and names each refusal with its line. It is one layer of the
audit; the other (``#print axioms`` and the statement comparison) asks Lean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemmata.dsl.text import NoSuchTheorem, nested_comment_end

_IDENT = r"[A-Za-z_\u00C0-\u024F\u0370-\u03FF\u1D00-\u1DBF][\w'!?\u00C0-\u024F\u0370-\u03FF\u2080-\u209C.]*"
_DECL = re.compile(rf"(?m)^[ \t]*(?:@\[[^\]]*\][ \t\n]*)?(?:(?:private|protected|noncomputable|nonrec)\s+)*"
                   rf"(?P<kw>theorem|lemma|example|def|abbrev|instance)\b\s*(?P<name>{_IDENT})?")


class LeanSyntaxError(ValueError):
    """An unterminated comment or string."""


def blank(text: str) -> str:
    """``text`` with comments and string/char literals turned into spaces (same length, newlines kept)."""
    out = list(text)
    i, n = 0, len(text)

    def wipe(start: int, end: int) -> None:
        for k in range(start, end):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        if text.startswith("--", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            wipe(i, end)
            i = end
        elif text.startswith("/-", i):
            j = nested_comment_end(text, i, "/-", "-/")
            if j is None:
                raise LeanSyntaxError(f"unterminated comment starting at offset {i}")
            wipe(i, j)
            i = j
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise LeanSyntaxError(f"unterminated string starting at offset {i}")
            wipe(i + 1, j)
            i = j + 1
        elif text[i] == "'" and re.match(r"'(\\.|[^'\\\n])'", text[i:i + 4]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_'")):
            end = text.index("'", i + 1 + (text[i + 1] == "\\"))
            wipe(i + 1, end)
            i = end + 1
        else:
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class LeanDeclaration:
    keyword: str
    name: str | None
    start: int  # offset of the keyword
    signature: str  # from after the name to ':=' (blanked text), e.g. "(x : ℕ) (h : x > 0) : x ≥ 1"
    body_start: int | None  # offset after ':=' (None: no ':=' found, e.g. a `where` or `|` definition)
    signature_span: tuple[int, int] = (0, 0)  # offsets of the signature in the original text


def declarations(text: str) -> list[LeanDeclaration]:
    code = blank(text)
    found = []
    for m in _DECL.finditer(code):
        start = m.end()
        depth, i, body = 0, start, None
        while i < len(code):
            ch = code[i]
            if ch in "([{⟨":
                depth += 1
            elif ch in ")]}⟩":
                depth -= 1
            elif depth == 0 and code.startswith(":=", i):
                body = i + 2
                break
            elif depth == 0 and _DECL.match(code, i) and i > start and code[i - 1] == "\n":
                break
            i += 1
        end = (body - 2) if body else i
        found.append(LeanDeclaration(m["kw"], m["name"], m.start("kw"), " ".join(code[start:end].split()), body,
                                     (start, end)))
    return found


def target_theorem(text: str, theorem: str | None) -> LeanDeclaration:
    """The ``theorem``/``lemma`` named ``theorem``, or the last one. Raises ``NoSuchTheorem``, ``LeanSyntaxError``."""
    theorems = [d for d in declarations(text) if d.keyword in ("theorem", "lemma") and d.name]
    if theorem:
        named = [d for d in theorems if d.name == theorem]
        if not named:
            found = ", ".join(d.name for d in theorems) or "none"
            raise NoSuchTheorem(f"no theorem named {theorem} (found: {found})")
        return named[-1]
    if not theorems:
        raise NoSuchTheorem("no theorem in the file")
    return theorems[-1]


_SCOPE = re.compile(rf"(?m)^[ \t]*(?:(?P<open>namespace|section)(?:[ \t]+(?P<name>{_IDENT}))?|end(?:[ \t]+(?P<closed>{_IDENT}))?)[ \t]*$"
                    rf"|^[ \t]*(?:@\[[^\]]*\][ \t\n]*)?(?:(?:private|protected|noncomputable|nonrec|partial)\s+)*"
                    rf"(?P<kw>def|abbrev|theorem|lemma|instance|structure|inductive|class|opaque)\s+(?P<decl>{_IDENT})")


def declared_names(text: str) -> list[str]:
    """Full names (namespaces applied) of what ``text`` declares by name: defs, theorems, structures, ...

    ``_root_.x`` is ``x``; anonymous instances have no name to compare and are left out.
    """
    scopes: list[tuple[str, str]] = []  # (kind, name) of each open namespace or section
    names = []
    for m in _SCOPE.finditer(blank(text)):
        if m["open"]:
            scopes.append((m["open"], m["name"] or ""))
        elif m["kw"]:
            decl = m["decl"]
            if decl.startswith("_root_."):
                names.append(decl.removeprefix("_root_."))
                continue
            prefix = [n for kind, n in scopes if kind == "namespace" and n]
            names.append(".".join([*prefix, decl]))
        elif scopes:
            scopes.pop()
    return names


@dataclass(frozen=True)
class LeanFinding:
    kind: str  # "hole", "axiom", "unsafe", "meta", "notation"
    what: str  # the construct, as a refusal names it (and as an allow-list entry names it)
    offset: int


# Attributes that register code with Lean's front end (syntax, elaborators, macros, tactics, delaborators,
# initialisers, compiler overrides): a proof that needs none of them can use them only to fool the audit.
_REGISTERING = (r"macro|elab|term_elab|command_elab|tactic|delab|app_unexpander|builtin_\w+|\w+_parser|init"
                r"|env_extension|implemented_by|extern|export|csimp|match_pattern")
_RULES: list[tuple[str, re.Pattern[str], str]] = [
    ("hole", re.compile(r"(?<![\w.'])(sorry|admit)(?![\w'])"), "{0}"),
    # anywhere, not only at the start of a line: `open Foo in axiom ...` declares one too
    ("axiom", re.compile(rf"(?<![\w.'])axiom\s+({_IDENT})"), "axiom {0}"),
    ("unsafe", re.compile(r"(?<![\w.'])(native_decide|Lean\.ofReduceBool|ofReduceBool|Lean\.trustCompiler"
                          r"|implemented_by|extern|unsafe|sorryAx)(?![\w'])"), "{0}"),
    ("unsafe", re.compile(r"(?<![\w.'])(debug\.[\w.]*\w)"), "{0}"),  # set_option, withOptions, `in` forms alike
    ("unsafe", re.compile(r"(?<![\w.'])decide\s*(\+\s*native|\(\s*config\s*:=[^)]*native\s*:=\s*true)"),
     "decide +native"),
    ("unsafe", re.compile(r"set_option\s+(maxRecDepth\s+\d{7,})"), "set_option {0}"),
    ("meta", re.compile(r"(?<![\w.'])(#eval|#exit|#reduce|run_cmd|run_tac|run_elab|run_meta|by_elab|elab_rules"
                        r"|macro_rules|macro|elab|syntax|declare_syntax_cat|initialize|builtin_initialize"
                        r"|dbg_trace|dbgTrace|IO\.\w+|unsafeIO|unsafeBaseIO|#guard_msgs)(?![\w'])"), "{0}"),
    # Lean's own namespace: `open Lean`, `Lean.Expr`, `namespace Lean`, `export Lean (...)`
    ("meta", re.compile(r"(?<![\w.'])(Lean)(?![\w'])"), "{0} (metaprogramming)"),
    ("meta", re.compile(r"(#print)\s*\""), "{0} with a string"),
    ("meta", re.compile(rf"(?:@\[|attribute\s*\[)\s*(?:[^\]]*?[\s,(])?(?:local\s+|scoped\s+)?({_REGISTERING})(?![\w'])"),
     "attribute [{0}]"),
]
_NOTATION = re.compile(r"(?m)^[ \t]*(?:@\[[^\]]*\][ \t]*)?(?:scoped\s+|local\s+)*(notation|infixl?|infixr|prefix|postfix)\b([^\n]*)")


def findings(text: str, statement: str = "", allow: frozenset[str] | set[str] = frozenset()) -> list[LeanFinding]:
    """What the audit refuses in ``text``, in order.

    ``statement``: the target's statement, whose symbols a notation may not touch. ``allow``: constructs
    (a finding's ``what``, or its first word) a deployment accepts anyway.
    """
    code = blank(text)
    out: list[LeanFinding] = []
    for kind, rule, label in _RULES:
        for m in rule.finditer(code):
            out.append(LeanFinding(kind, label.format(" ".join(m[1].split())), m.start()))
    for m in _NOTATION.finditer(code):
        tokens = re.findall(r'"([^"]+)"', text[m.start(2): m.end(2)])
        touched = [t.strip() for t in tokens if t.strip() and t.strip() in statement]
        if touched:
            out.append(LeanFinding("notation", f"{m[1]} redefining {', '.join(touched)}", m.start()))
    kept = [f for f in out if f.what not in allow and f.what.split()[0] not in allow]
    return sorted(kept, key=lambda f: f.offset)


__all__ = ["LeanDeclaration", "LeanFinding", "LeanSyntaxError", "blank", "declarations", "declared_names", "findings",
           "target_theorem"]
