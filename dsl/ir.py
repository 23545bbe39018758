"""The statement IR: typed terms and formulas of competition mathematics.

A ``Conjecture`` is variables, hypotheses and a goal over the sorts ℕ, ℤ, ℚ, ℝ.
Every operation node records the language it was parsed from, because the
same symbol means different things: ``/`` on ℤ is Euclidean division in Lean
(``(-7) / 2 = -4``, ``7 / -2 = -3``) but floor division in Coq (``7 / -2 =
-4``); ``%`` follows. What both agree on is kept in one place:

* ℕ subtraction truncates at 0; ``x / 0 = 0`` and ``x % 0 = x`` on ℕ and ℤ;
* ``x / 0 = 0`` on ℚ and ℝ; ``sqrt x = 0`` for ``x <= 0``; ``0 ^ 0 = 1``;
* casts go up (ℕ → ℤ → ℚ → ℝ) exactly; ``toNat`` of a negative is 0.

A construct the IR cannot represent faithfully is refused with
``Unsupported(reason)``, never approximated.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Literal, Union

Language = Literal["lean", "coq"]


class Sort(str, Enum):
    NAT = "nat"
    INT = "int"
    RAT = "rat"
    REAL = "real"

    @property
    def rank(self) -> int:
        return list(Sort).index(self)

    @property
    def integral(self) -> bool:
        return self in (Sort.NAT, Sort.INT)


class Unsupported(Exception):
    """The statement uses something the IR cannot represent exactly."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---- terms ---------------------------------------------------------------

@dataclass(frozen=True)
class Var:
    name: str
    sort: Sort


@dataclass(frozen=True)
class Num:
    value: Fraction
    sort: Sort


@dataclass(frozen=True)
class Op:
    op: str
    args: tuple[Term, ...]
    sort: Sort
    lang: Language


@dataclass(frozen=True)
class Cast:
    arg: Term
    sort: Sort  # target; arg.sort ranks strictly below


@dataclass(frozen=True)
class Apply:
    """An application of a function variable (``f : ℝ → ℝ``): uninterpreted."""

    fn: str
    args: tuple[Term, ...]
    sort: Sort


@dataclass(frozen=True)
class BigOp:
    """``sum``/``prod`` of ``body`` for ``var`` from ``lo`` to ``hi`` inclusive (concrete bounds)."""

    op: Literal["sum", "prod"]
    var: Var
    lo: int
    hi: int
    body: Term
    sort: Sort


Term = Union[Var, Num, Op, Cast, Apply, BigOp]


# ---- formulas -------------------------------------------------------------

@dataclass(frozen=True)
class Compare:
    op: Literal["eq", "ne", "lt", "le", "gt", "ge"]
    left: Term
    right: Term


@dataclass(frozen=True)
class Dvd:
    """``a ∣ b``: some c with b = a * c (so ``0 ∣ b`` iff b = 0)."""

    left: Term
    right: Term


@dataclass(frozen=True)
class Logic:
    op: Literal["and", "or", "not", "implies", "iff"]
    args: tuple[Formula, ...]


@dataclass(frozen=True)
class Quant:
    kind: Literal["forall", "exists"]
    vars: tuple[Var, ...]
    body: Formula


@dataclass(frozen=True)
class Truth:
    value: bool


Formula = Union[Compare, Dvd, Logic, Quant, Truth]


@dataclass(frozen=True)
class FunctionSymbol:
    name: str
    domain: tuple[Sort, ...]
    codomain: Sort


@dataclass(frozen=True)
class Conjecture:
    """∀ variables, hypotheses → goal, as stated in ``language``."""

    name: str
    language: Language
    variables: tuple[Var, ...]
    functions: tuple[FunctionSymbol, ...]
    hypotheses: tuple[Formula, ...]
    goal: Formula


def cast(term: Term, sort: Sort) -> Term:
    """``term`` seen in ``sort`` (a no-op when it is already there)."""
    if term.sort == sort:
        return term
    if term.sort.rank > sort.rank:
        raise Unsupported(f"cannot cast {term.sort.value} down to {sort.value} exactly")
    if isinstance(term, Num):
        return Num(term.value, sort)
    return Cast(term, sort)
