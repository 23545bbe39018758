"""Claims in a reasoning step's text: LaTeX and plain math turned into relation chains.

A step such as ``So $2x + 3 = 11$, which gives x = 4.`` holds the claims
``2*x + 3 = 11`` and ``x = 4``. Numbers are read as people write them:
``.25``, ``21,456``, ``$32``, ``40%``, ``3 x 4``; a GSM8K calculator
annotation ``<<4*.25=1>>`` is a claim of its own and is cut from the visible
text (so ``= <<4*.25=1>>1`` does not read the ``1`` twice). The text is
normalised (``\\frac``, ``\\sqrt``, ``\\cdot``, ``\\times``, ``^{}``, ``%``,
Unicode relations), cut into runs of math tokens (a word of prose ends a run;
single letters and a few function names are math), and each run with a
relation in it becomes a chain ``a = b = c`` of pairwise claims.

Reading prose is guesswork at the edges, so every claim says how sure the
reading is: ``approximate`` when the text marks the value as rounded
(``≈``, ``= about 3.3``), and ``doubt`` when the same words could mean
something else (the sides carry different units of one kind, ``x`` could be
a variable or a times sign, the expression may start before the run that was
read). A checker may verify a doubtful claim but must not refute it. Only the
text is read here; deciding the claims is the checker's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RELATIONS = ("<=", ">=", "!=", "=", "<", ">")
FUNCTIONS = ("sqrt", "pi")
APPROXIMATELY = ("approximately", "approx", "about", "around", "roughly", "nearly", "almost")
CURRENCY = "¤"  # the private mark ``$ 5`` becomes, so ``$`` as LaTeX's delimiter and as money stay apart
_LATEX_SIMPLE = [
    (r"\\left|\\right|\\,|\\;|\\!|\\quad|\\qquad|\\displaystyle", " "),
    (r"\\(?:cdot|times|ast)", "*"), (r"\\div", "/"), (r"\\pi\b", "pi"),
    (r"\\(?:leq|le)\b", "<="), (r"\\(?:geq|ge)\b", ">="), (r"\\(?:neq|ne)\b", "!="), (r"\\approx\b", "≈"),
    (r"\\(?:text|mathrm|mathbf|textbf|operatorname)\{([^{}]*)\}", r" \1 "),
]
_UNICODE = {"≤": "<=", "≥": ">=", "≠": "!=", "−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "π": "pi",
            "√": "sqrt", "²": "^2", "³": "^3", "≃": "≈", "\xa0": " ", "€": CURRENCY, "£": CURRENCY}
# Words that join two numbers into one expression: "4 times 5" is 4*5, read whole rather than as "5 = ...".
_OPERATOR_WORDS = [(r"times|multiplied\s+by", "*"), (r"divided\s+by|over", "/"), (r"plus", "+"), (r"minus", "-")]
_NUMBER = r"\d+(?:\.\d+)?"
_TOKEN = re.compile(rf"\s*(?:(?P<num>{_NUMBER})|(?P<label>‹[^›]*›)|(?P<word>[A-Za-z]+)|(?P<rel><=|>=|!=|==|=|<|>|≈)"
                    rf"|(?P<op>\*\*|[-+*/^()])|(?P<money>{CURRENCY})|(?P<other>\S))")
# Words that change a number's value or relation when they follow it: never read as a mere label.
_NOT_LABELS = frozenset("""more less fewer extra additional left remaining times twice older younger longer shorter
taller heavier lighter bigger smaller larger greater higher lower faster slower cheaper earlier later squared cubed
square cube root percent dozen dozens hundred hundreds thousand thousands million millions billion billions half halves
third thirds quarter quarters fourth fourths fifth fifths tenth tenths score and or of is are was were to in on at by
per from with than as so then plus minus over divided multiplied sqrt pi""".split())
# "38 pens + 2 pens = 40 pens": a word (or "km/hr") between a number and an operator labels the number.
_LABEL = re.compile(r"(?<=\d)\s*(?P<label>[A-Za-z][A-Za-z'’]+(?:\s*/\s*[A-Za-z]+)?)"
                    r"(?=\s*(?:[-+*/=<>)≈]|[xX]\s))")
# Units of one kind: two sides that carry different ones (``$0.10 = 10 cents``) imply a conversion the claim hides.
_UNITS = {
    "money": {"$": "$", "dollar": "$", "dollars": "$", "cent": "cent", "cents": "cent", "penny": "cent",
              "pennies": "cent"},
    "time": {"second": "s", "seconds": "s", "sec": "s", "secs": "s", "minute": "min", "minutes": "min", "min": "min",
             "mins": "min", "hour": "h", "hours": "h", "hr": "h", "hrs": "h", "day": "day", "days": "day",
             "week": "week", "weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year"},
    "length": {"inch": "in", "inches": "in", "foot": "ft", "feet": "ft", "ft": "ft", "yard": "yd", "yards": "yd",
               "mile": "mi", "miles": "mi", "mm": "mm", "cm": "cm", "meter": "m", "meters": "m", "metre": "m",
               "metres": "m", "km": "km"},
    "mass": {"gram": "g", "grams": "g", "kg": "kg", "kilogram": "kg", "kilograms": "kg", "pound": "lb",
             "pounds": "lb", "lb": "lb", "lbs": "lb", "ounce": "oz", "ounces": "oz", "oz": "oz", "ton": "t",
             "tons": "t"},
    "volume": {"ml": "ml", "liter": "l", "liters": "l", "litre": "l", "litres": "l", "gallon": "gal",
               "gallons": "gal", "quart": "qt", "quarts": "qt", "pint": "pt", "pints": "pt", "cup": "cup",
               "cups": "cup"},
}
_UNIT_OF = {word: (kind, unit) for kind, words in _UNITS.items() for word, unit in words.items()}
_CLAUSE_END = set(",;:.!?")


@dataclass(frozen=True)
class ClaimText:
    """One relation between two math expressions, in Python/SymPy syntax, and the text it came from.

    ``origin`` is ``text`` or ``calculator`` (a ``<<a*b=c>>`` annotation);
    ``approximate``: the text marks the right side as a rounded value;
    ``doubt``: why the reading may not be what the author meant (then the claim
    can be verified but never refuted).
    """

    left: str
    relation: str  # one of RELATIONS
    right: str
    source: str
    origin: str = "text"
    approximate: bool = False
    doubt: str | None = None

    def __str__(self) -> str:
        return f"{self.left} {'≈' if self.approximate else self.relation} {self.right}"


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


def _times_sign(text: str) -> str:
    """``3 x 4`` and ``110 x .7`` are products; ``2x + 3`` keeps its variable.

    With spaces round it, an ``x`` between numbers is a times sign. Unspaced
    (``3x4``) it is one only when the text never uses ``x`` as a variable.
    """
    text = re.sub(r"(?<=[\d)›])\s+[xX]\s+(?=[\d.(" + CURRENCY + r"])", " * ", text)
    uses_variable = re.search(r"(?<![A-Za-z\d])[xX](?![A-Za-z\d])|\d[xX](?![\d.])", text)
    if not uses_variable:
        text = re.sub(r"(?<=\d)[xX](?=\d)", "*", text)
    return text


def _label(m: re.Match) -> str:
    words = re.findall(r"[A-Za-z'’]+", m["label"])
    if words[0].lower() in _NOT_LABELS or any(w.lower() in _NOT_LABELS for w in words[1:]):
        return m[0]
    return f"‹{m['label'].replace(' ', '')}›"


def normalise(text: str) -> str:
    """LaTeX and typographic math to plain ``*``, ``/``, ``^``, ``sqrt()``, ``<=`` notation."""
    # Money first: "$" before a number is a dollar sign, any other "$" delimits LaTeX math.
    text = re.sub(r"\$(?=\s?(?:\d|\.\d))", CURRENCY, text)
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
    # "2:15" is a time of day and "5:9" a ratio: neither is arithmetic, and their parts must not be read as numbers.
    text = re.sub(r"\d+(?::\d+)+(?:\s*[ap]\.?m\.?\b)?", " ⌚ ", text)
    text = re.sub(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(?![\d,])", lambda m: m[1].replace(",", ""), text)
    text = re.sub(r"(?<![\d.])\.(?=\d)", "0.", text)  # ".25" is 0.25
    text = re.sub(r"(?<=[\d\s=(])~(?=\s*[\d" + CURRENCY + "])", "≈", text)
    text = _LABEL.sub(_label, text)
    text = _times_sign(text)
    for words, operator in _OPERATOR_WORDS:
        text = re.sub(rf"(?<=[\d)])\s+(?:{words})\s+(?=[\d({CURRENCY}])", f" {operator} ", text, flags=re.I)
    text = re.sub(rf"({_NUMBER})\s*\\?%\s*of\b", r"(\1/100)*", text)
    text = re.sub(rf"({_NUMBER})\s*\\?%", r"(\1/100)", text)
    return text


def _is_math_word(word: str) -> bool:
    return len(word) == 1 or word in FUNCTIONS


@dataclass
class _Run:
    """Consecutive math tokens; ``units`` holds each number's (kind, unit) by token position."""

    tokens: list[tuple[str, str]]
    units: dict[int, tuple[str, str]]
    continues: bool  # the expression may start before the run (a number a few words back, same clause)


def _runs(text: str) -> list[_Run]:
    runs = [_Run([], {}, False)]
    words_since_number: int | None = None  # words since the last number in this clause (None: no number)
    money = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m[kind]
        run = runs[-1]
        if kind == "money":
            money = True
            continue
        if kind == "label":
            if run.tokens and run.tokens[-1][0] == "num":
                word = value[1:-1].lower()
                run.units.setdefault(len(run.tokens) - 1, _UNIT_OF.get(word, ("label", word)))
            continue
        if kind == "word" and not _is_math_word(value):
            if run.tokens and run.tokens[-1][0] == "num" and value.lower() in _UNIT_OF:
                run.units.setdefault(len(run.tokens) - 1, _UNIT_OF[value.lower()])
            if value.lower() in APPROXIMATELY and run.tokens and run.tokens[-1] == ("rel", "="):
                run.tokens[-1] = ("rel", "≈")  # "= about 3.3"
                continue
            if run.tokens:
                runs.append(_Run([], {}, False))
            if words_since_number is not None:
                words_since_number += 1
            money = False
            continue
        if kind == "other":
            if value not in "[]":  # a bracket is grouping; anything else ends the run
                if run.tokens:
                    runs.append(_Run([], {}, False))
                if value in _CLAUSE_END:
                    words_since_number = None
            money = False
            continue
        if not run.tokens:
            before = runs[-2].tokens if len(runs) > 1 else []
            # "3 packs of 4 = 12": the 4 may belong to a longer expression; after "x = 2, the value is" it does not.
            run.continues = (words_since_number is not None and words_since_number <= 3
                             and not any(kind == "rel" for kind, _ in before))
        if kind == "num":
            if money:
                run.units[len(run.tokens)] = _UNIT_OF["$"]
            words_since_number = 0
        money = False
        run.tokens.append((kind, "=" if value == "==" else value))
    return [run for run in runs if run.tokens]


def _unit_clash(left: set, right: set) -> bool:
    return any(k1 == k2 and u1 != u2 for k1, u1 in left for k2, u2 in right)


def _run_claims(run: _Run, source: str, origin: str, doubt: str | None) -> list[ClaimText]:
    parts: list[tuple[str, set]] = []
    relations: list[str] = []
    current: list[str] = []
    units: set = set()
    for position, (kind, value) in enumerate(run.tokens):
        if kind == "rel":
            parts.append((" ".join(current), units))
            relations.append(value)
            current, units = [], set()
        else:
            current.append(value)
            if position in run.units:
                units.add(run.units[position])
    parts.append((" ".join(current), units))
    found = []
    for k, relation in enumerate(relations):
        (left, left_units), (right, right_units) = parts[k], parts[k + 1]
        left, right = left.strip(), right.strip()
        if not (_complete(left) and _complete(right)):
            continue
        why = doubt
        if _unit_clash(left_units, right_units):
            why = "the sides are in different units of one kind"
        elif k == 0 and run.continues and origin == "text":
            why = "the expression may begin in the words before it"
        found.append(ClaimText(left, "=" if relation == "≈" else relation, right, source, origin,
                               approximate=relation == "≈", doubt=why))
    return found


def _x_doubt(text: str) -> str | None:
    """Unspaced ``3x4`` beside ``x`` used as a variable is either a product or ``3*x*4``: say so."""
    if re.search(r"\d[xX]\d", text):
        return "'x' between numbers may be a variable or a times sign"
    return None


_ANNOTATION = re.compile(r"<<([^<>]*)>>")


def claims(text: str) -> list[ClaimText]:
    """Every relation the text states between math expressions, calculator annotations first."""
    found: list[ClaimText] = []
    for m in _ANNOTATION.finditer(text):
        normal = normalise(m[1])
        for run in _runs(normal):
            found.extend(_run_claims(run, text.strip(), "calculator", _x_doubt(normal)))
    visible = normalise(_ANNOTATION.sub("", text))
    doubt = _x_doubt(visible)
    for run in _runs(visible):
        found.extend(_run_claims(run, text.strip(), "text", doubt))
    unique: dict[tuple[str, str, str], ClaimText] = {}
    for claim in found:  # "3*4 = <<3*4=12>>12" says the same thing twice: check it once
        unique.setdefault((claim.left, claim.relation, claim.right), claim)
    return list(unique.values())


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


__all__ = ["APPROXIMATELY", "ClaimText", "FUNCTIONS", "RELATIONS", "claims", "normalise"]
