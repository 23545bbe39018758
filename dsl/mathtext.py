"""Claims in a reasoning step's text: LaTeX and plain math turned into relation chains.

A step such as ``So $2x + 3 = 11$, which gives x = 4.`` holds the claims
``2*x + 3 = 11`` and ``x = 4``. The text is normalised (``\\frac``, ``\\sqrt``,
``\\cdot``, ``\\times``, ``^{}``, ``%``, thousands separators, Unicode
relations), cut into runs of math tokens (a word of prose ends a run; single
letters and a few function names are math), and each run with a relation in
it becomes a chain ``a = b = c`` of pairwise claims. Only the text is read
here; deciding the claims is the checker's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RELATIONS = ("<=", ">=", "!=", "=", "<", ">")
FUNCTIONS = ("sqrt", "pi")
_LATEX_SIMPLE = [
    (r"\\left|\\right|\\,|\\;|\\!|\\quad|\\qquad|\\displaystyle", " "),
    (r"\\(?:cdot|times|ast)", "*"), (r"\\div", "/"), (r"\\pi\b", "pi"),
    (r"\\(?:leq|le)\b", "<="), (r"\\(?:geq|ge)\b", ">="), (r"\\(?:neq|ne)\b", "!="),
    (r"\\(?:text|mathrm|mathbf|textbf|operatorname)\{([^{}]*)\}", r" \1 "),
]
_UNICODE = {"≤": "<=", "≥": ">=", "≠": "!=", "−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "π": "pi",
            "√": "sqrt", "²": "^2", "³": "^3"}
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<word>[A-Za-z]+)|(?P<rel><=|>=|!=|==|=|<|>)"
                    r"|(?P<op>\*\*|[-+*/^()])|(?P<other>\S))")


@dataclass(frozen=True)
class ClaimText:
    """One relation between two math expressions, in Python/SymPy syntax, and the text it came from."""

    left: str
    relation: str  # one of RELATIONS
    right: str
    source: str

    def __str__(self) -> str:
        return f"{self.left} {self.relation} {self.right}"


def _replace_braced(text: str, command: str, arity: int, build) -> str:
    """Rewrite ``\\command{a}{b}`` (nested braces allowed) with ``build(a, b)``."""
    while True:
        at = text.find(command + "{")
        if at < 0:
            return text
        args, i = [], at + len(command)
        for _ in range(arity):
            while i < len(text) and text[i] == " ":
                i += 1
            if i >= len(text) or text[i] != "{":
                return text.replace(command, " ", 1)
            depth, j = 0, i
            while j < len(text):
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            args.append(text[i + 1:j])
            i = j + 1
        text = text[:at] + build(*args) + text[i:]


def normalise(text: str) -> str:
    """LaTeX and typographic math to plain ``*``, ``/``, ``^``, ``sqrt()``, ``<=`` notation."""
    text = re.sub(r"\$\$?|\\\(|\\\)|\\\[|\\\]", " ", text)
    for fraction in (r"\dfrac", r"\tfrac", r"\frac"):
        text = _replace_braced(text, fraction, 2, lambda a, b: f"(({a})/({b}))")
    text = re.sub(r"\\sqrt\[([^\]]+)\]\{", r"\\root{\1}{", text)
    text = _replace_braced(text, r"\root", 2, lambda n, a: f"(({a})^(1/({n})))")
    text = _replace_braced(text, r"\sqrt", 1, lambda a: f"sqrt({a})")
    for pattern, replacement in _LATEX_SIMPLE:
        text = re.sub(pattern, replacement, text)
    for symbol, replacement in _UNICODE.items():
        text = text.replace(symbol, replacement)
    text = text.replace("{", "(").replace("}", ")")
    text = re.sub(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(?![\d,])", lambda m: m[1].replace(",", ""), text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*\\?%\s*of\b", r"(\1/100)*", text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*\\?%", r"(\1/100)", text)
    return text


def _is_math_word(word: str) -> bool:
    return len(word) == 1 or word in FUNCTIONS


def claims(text: str) -> list[ClaimText]:
    """Every relation the text states between math expressions."""
    runs: list[list[tuple[str, str]]] = [[]]
    for m in _TOKEN.finditer(normalise(text)):
        kind = m.lastgroup
        value = m[kind]
        if kind == "word" and not _is_math_word(value):
            runs.append([])
        elif kind == "other":
            if value == "." and runs[-1] and runs[-1][-1][0] == "num":
                runs.append([])  # a sentence's full stop after a number
            elif value not in ("[", "]"):
                runs.append([])
        else:
            runs[-1].append((kind, "=" if value == "==" else value))
    found: list[ClaimText] = []
    for run in runs:
        parts: list[str] = []
        relations: list[str] = []
        current: list[str] = []
        for kind, value in run:
            if kind == "rel":
                parts.append(" ".join(current))
                relations.append(value)
                current = []
            else:
                current.append(value)
        parts.append(" ".join(current))
        for k, relation in enumerate(relations):
            left, right = parts[k].strip(), parts[k + 1].strip()
            if _complete(left) and _complete(right):
                found.append(ClaimText(left, relation, right, text.strip()))
    return found


def _complete(expression: str) -> bool:
    """Balanced, non-empty, not ending or starting on an operator, and holding a number or a letter."""
    if not expression or expression[-1] in "+-*/^(" or expression[0] in "*/^)":
        return False
    depth = 0
    for ch in expression:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and bool(re.search(r"[\w]", expression))


__all__ = ["ClaimText", "FUNCTIONS", "RELATIONS", "claims", "normalise"]
