"""Run one SMT-LIB script with Z3 or cvc5 and print the answer as JSON.

Lemmata runs every solver call in this worker, as a child process, so that a
solver that ignores its own time limit (nonlinear arithmetic can) is killed
with its process group like any other external tool.

Input (stdin, JSON): ``{"solver": "z3"|"cvc5", "script": str, "timeout_ms": int}``.
Output (stdout, JSON): ``{"status": "sat"|"unsat"|"unknown", "reason": str,
"model": {name: "p/q" or null for an irrational value}, "functions":
{name: {"entries": [[args..., value]], "else": value}}}``.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def run_z3(script: str, timeout_ms: int) -> dict:
    import z3

    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.from_string(script.replace("(check-sat)", ""))
    status = solver.check()
    if status == z3.unsat:
        return {"status": "unsat", "reason": ""}
    if status != z3.sat:
        return {"status": "unknown", "reason": solver.reason_unknown()}
    model = solver.model()

    def value(v) -> str | None:
        if z3.is_int_value(v):
            return f"{v.as_long()}/1"
        if z3.is_rational_value(v):
            return f"{v.numerator_as_long()}/{v.denominator_as_long()}"
        return None  # an algebraic (irrational) number, or not a value

    constants: dict[str, str | None] = {}
    functions: dict[str, dict] = {}
    for decl in model.decls():
        interp = model[decl]
        if decl.arity() == 0:
            constants[decl.name()] = value(interp)
        elif isinstance(interp, z3.FuncInterp):
            entries = [[value(e.arg_value(i)) for i in range(e.num_args())] + [value(e.value())]
                       for e in (interp.entry(k) for k in range(interp.num_entries()))]
            functions[decl.name()] = {"entries": entries, "else": value(interp.else_value())}
    return {"status": "sat", "reason": "", "model": constants, "functions": functions}


def run_cvc5(script: str, timeout_ms: int) -> dict:
    import cvc5

    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("produce-models", "true")
    solver.setOption("tlimit-per", str(timeout_ms))
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, script.replace("(check-sat)", ""), "lemmata")
    symbols = parser.getSymbolManager()
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        command.invoke(solver, symbols)
    result = solver.checkSat()
    if result.isUnsat():
        return {"status": "unsat", "reason": ""}
    if not result.isSat():
        return {"status": "unknown", "reason": str(result.getUnknownExplanation())}
    constants: dict[str, str | None] = {}
    for term in symbols.getDeclaredTerms():
        if term.getSort().isFunction():
            continue  # function tables from cvc5 are lambdas; counterexamples with them stay unverified
        v = solver.getValue(term)
        if v.isIntegerValue():
            constants[str(term).strip("|")] = f"{v.getIntegerValue()}/1"
        elif v.isRealValue():
            constants[str(term).strip("|")] = _fraction_text(Fraction(v.getRealValue()))
        else:
            constants[str(term).strip("|")] = None
    return {"status": "sat", "reason": "", "model": constants, "functions": {}}


def main() -> None:
    request = json.load(sys.stdin)
    runner = {"z3": run_z3, "cvc5": run_cvc5}[request["solver"]]
    try:
        answer = runner(request["script"], int(request["timeout_ms"]))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as an unknown
        answer = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"}
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
