"""Stage e: decomposition into sub-lemmas (Draft-Sketch-Prove, Delta Prover).

A sketch (from the model, or from splitting a conjunction or an equivalence
when there is no model) is printed as lemmas with holes and a proof of the
theorem from them; the skeleton must check before anything is proved. The
lemmas then go into a ``networkx`` graph (an edge per claim a lemma uses: the
order of the final document) and are proved concurrently, each once: a claim
two steps share is one lemma, and a lemma proved for one sketch is not proved
again for its revision. A lemma the SMT solver refutes sends its
counterexample back to the model, which revises the sketch.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import networkx as nx

from lemmata.dsl.sketch import Sketch, SketchError, Step, parse_sketch
from lemmata.prover.agent.language import Lemma, Problem, ProblemError
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.run import Outcome, Run
from lemmata.prover.agent.subgoal import prove_subgoal

STAGE = "decomposition"


def goal_display(run: Run, problem: Problem) -> str | None:
    """The goal after introducing everything, as the checker prints it (None if it prints none).

    This is also the check that the statement itself is well-formed: raises
    ``ProblemError`` with the checker's message when it is not.
    """
    draft = run.language.draft(problem, run.language.intro_probe(), holes_allowed=True)
    result = run.checker.check(draft, stage="statement")
    error = result.first_error()
    if error is not None:
        raise ProblemError(f"{problem.origin}: the statement of {problem.theorem} does not check: {error.message}")
    return next((h.goal for h in result.holes if h.goal), None)


def symbolic_sketch(run: Run, display: str) -> Sketch | None:
    claims = run.language.split_conclusion(display)
    if not claims or len(claims) < 2:
        return None
    taken = run.language.reserved_names(display)
    names: list[str] = []
    k = 1
    while len(names) < len(claims):
        if f"part{k}" not in taken:
            names.append(f"part{k}")
        k += 1
    return Sketch(tuple(Step(n, c) for n, c in zip(names, claims)), tuple(names))


def _prove_lemma(run: Run, sub: Problem) -> Outcome:
    known = run.lemmas.get(sub.declaration)
    if known is not None:
        return known
    outcome = prove_subgoal(run, sub, stage=STAGE)
    run.lemmas[sub.declaration] = outcome
    return outcome


def prove_sketch(run: Run, problem: Problem, display: str, sketch: Sketch) -> tuple[Outcome | None, str | None]:
    """(the outcome, None) or (None, what went wrong, for the model to read)."""
    language = run.language
    lemmas, body, uses = language.print_sketch(problem, display, sketch)
    skeleton = language.draft(problem, body, preamble="\n".join(language.lemma_text(l) for l in lemmas))
    error = run.checker.check(skeleton, stage=STAGE).first_error()
    if error is not None:
        return None, f"the sketch does not check: {error.message}"
    graph = nx.DiGraph()
    for lemma in lemmas:
        graph.add_node(lemma.name, lemma=lemma)
        graph.add_edges_from((used, lemma.name) for used in uses[lemma.name])
    subs = {l.name: language.lemma_problem(problem, l) for l in lemmas}
    run.trace.emit("sketch", stage=STAGE, sketch=sketch.render(), lemmas=[l.declaration for l in lemmas])
    with ThreadPoolExecutor(max_workers=run.settings.workers, thread_name_prefix="lemma") as pool:
        futures = {name: pool.submit(_prove_lemma, run, sub) for name, sub in subs.items()}
        try:
            outcomes = {name: future.result() for name, future in futures.items()}
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    claim_of = {lemma.name: lemma.label or lemma.declaration for lemma in lemmas}
    refuted = [n for n, o in outcomes.items() if o.status is ProofStatus.DISPROVED]
    if refuted:
        lines = [f"- {claim_of[n]} is false; counterexample: "
                 + ", ".join(f"{k} = {v}" for k, v in (outcomes[n].counterexample or {}).items()) for n in refuted]
        return None, "these claims are false:\n" + "\n".join(lines)
    failed = [n for n, o in outcomes.items() if o.status is ProofStatus.FAILED]
    if failed:
        return None, "these claims could not be proved:\n" + "\n".join(f"- {claim_of[n]}" for n in failed)
    imports: tuple[str, ...] = ()
    preamble: list[str] = []
    smt_parts: list[str] = []
    for name in nx.topological_sort(graph):
        lemma: Lemma = graph.nodes[name]["lemma"]
        outcome = outcomes[name]
        imports += outcome.imports
        preamble += [outcome.preamble] if outcome.preamble else []
        preamble.append(language.lemma_text(Lemma(name, lemma.declaration, outcome.body)))
        if outcome.status is ProofStatus.SMT_PROVED:
            smt_parts.append(name)
    text = "\n".join(preamble)
    if smt_parts:
        return Outcome(ProofStatus.SMT_PROVED, body, imports, text, found_by=STAGE, smt_parts=smt_parts), None
    result = run.checker.check(language.draft(problem, body, imports=imports, preamble=text), stage=STAGE)
    if result.accepted:
        return Outcome(ProofStatus.PROVED, body, imports, text, found_by=STAGE), None
    error = result.first_error()
    return None, f"the recombined proof fails: {error.message if error else '; '.join(result.reasons)}"


def decompose(run: Run, problem: Problem, display: str | None, *, with_model: bool) -> Outcome | None:
    """Prove ``problem`` through a sketch over ``display``, its goal after introductions."""
    if display is None:
        return None
    if not with_model:
        sketch = symbolic_sketch(run, display)
        return prove_sketch(run, problem, display, sketch)[0] if sketch is not None else None
    feedback: str | None = None
    for _ in range(1 + run.settings.sketch_revisions):
        texts = run.ask(run.language.sketch_prompt(problem, display, feedback), 1, STAGE)
        try:
            sketch = parse_sketch(texts[0], reserved=run.language.reserved_names(display))
        except SketchError as exc:
            feedback = f"the sketch cannot be read: {exc}"
            continue
        outcome, feedback = prove_sketch(run, problem, display, sketch)
        run.trace.emit("sketch-result", stage=STAGE, ok=outcome is not None, feedback=feedback)
        if outcome is not None:
            return outcome
    return None


__all__ = ["decompose", "goal_display", "prove_sketch", "symbolic_sketch"]

