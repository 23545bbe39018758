"""`lemmata bench` and `lemmata report`: run the agent over a suite, then read the results."""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from rich.console import Console
from rich.table import Table

from lemmata.benchmarks.executors import LocalExecutor, RayExecutor
from lemmata.benchmarks.report import markdown, only_solved_by, plot, summarize
from lemmata.benchmarks.results import read_results
from lemmata.benchmarks.runner import plan_jobs, run_jobs
from lemmata.benchmarks.suites import SUITES, load_suite
from lemmata.benchmarks.worker import Job
from lemmata.cli.options import add_agent_options, add_lean_options, add_model_options, apply_lean_options, \
    options_from_args
from lemmata.cli.serve_model_command import served
from lemmata.prover.languages import language_named
from lemmata.verifiers.errors import LemmataError


def add_parsers(sub) -> None:
    bench = sub.add_parser(
        "bench", help="run the prover over a benchmark suite, one JSON line per problem",
        description="Run the agent on every problem of SUITE and append one JSON line per attempt to --out. "
                    "Re-running with the same --out resumes. Ctrl-C leaves a valid file.")
    bench.add_argument("suite", metavar="SUITE", help=f"{', '.join(SUITES)}, or a directory of problem files")
    bench.add_argument("--split", default="valid", help="valid (default) or test")
    add_lean_options(bench)
    bench.add_argument("--data", type=Path, metavar="DIR", help="a local copy of the suite (else it is downloaded)")
    bench.add_argument("--sha256", help="expected SHA-256 of the downloaded archive")
    bench.add_argument("--limit", type=int, metavar="N", help="only the first N problems (after --problems)")
    bench.add_argument("--problems", metavar="GLOB", help="only problems whose id matches, e.g. 'mathd_*'")
    bench.add_argument("--attempts", type=int, default=1, metavar="N",
                       help="independent attempts per problem (pass@k needs k <= N)")
    bench.add_argument("--workers", type=int, default=1, metavar="W", help="problems run at once")
    bench.add_argument("--executor", choices=["local", "ray"], default="local")
    bench.add_argument("--address", metavar="ADDR", help="Ray cluster address (default: start a local one)")
    bench.add_argument("--out", type=Path, required=True, metavar="JSONL", help="results file (appended, resumed)")
    add_model_options(bench)
    add_agent_options(bench)

    report = sub.add_parser("report", help="pass rates, pass@k, categories and comparisons of bench results",
                            description="Summarise one or more results files of `lemmata bench`.")
    report.add_argument("runs", nargs="+", type=Path, metavar="RUN.jsonl")
    report.add_argument("--md", type=Path, metavar="OUT.md", help="also write the report as Markdown")
    report.add_argument("--plot", type=Path, metavar="OUT.png", help="plot problems solved vs samples spent")


def run_bench(args: argparse.Namespace, console: Console) -> int:
    apply_lean_options(args)
    for flag in ("limit", "attempts", "workers"):
        value = getattr(args, flag)
        if value is not None and value < 1:
            raise LemmataError(f"--{flag} must be at least 1")
    suite = load_suite(args.suite, args.split, data=args.data, sha256=args.sha256)
    entry = language_named(suite.language)
    entry.make_adapter()  # a language the agent does not handle stops the run here, not once per problem
    entry.make_verifier().require()  # and so does a missing checker
    if args.serve_model:
        options_from_args(args, entry)  # bad options fail before a model server starts
    problems = suite.select(args.problems, args.limit)
    if not problems:
        raise LemmataError(f"no problem of {suite.name} ({suite.split}) matches {args.problems!r}")
    with served(args):
        return _bench(args, console, suite, problems, options_from_args(args, entry))


def _bench(args: argparse.Namespace, console: Console, suite, problems, options) -> int:

    def make_job(problem, attempt: int) -> Job:
        return Job(problem=problem.id, path=str(problem.path), language=problem.language, suite=suite.name,
                   split=suite.split, attempt=attempt,
                   options=options.model_copy(update={"trace_name": f"{problem.id}.{attempt}"}))

    jobs, skipped = plan_jobs(suite, problems, args.attempts, args.out, make_job)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    model = options.llm.describe() if options.llm is not None else "no model (automation, SMT, symbolic splitting)"
    err.print(f"{suite.name} {suite.split}: {len(problems)} problems x {args.attempts} attempts; "
              f"{skipped} already in {args.out}, {len(jobs)} to run; {model}; {args.executor} x {args.workers}",
              markup=False)
    executor = RayExecutor(args.address, args.workers) if args.executor == "ray" else LocalExecutor(args.workers)
    summary = run_jobs(jobs, skipped, args.out, executor, err)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.counts.items())) or "nothing new"
    console.print(f"ran {summary.ran} of {len(jobs)} ({counts}); results in {args.out}", markup=False)
    if summary.interrupted:
        console.print("interrupted: rerun the same command to resume", markup=False)
        return 130
    return 0


def run_report(args: argparse.Namespace, console: Console) -> int:
    runs = []
    for path in args.runs:
        if not path.is_file():
            raise LemmataError(f"{path}: no such results file")
        records = read_results(path)
        if not records:
            raise LemmataError(f"{path}: no result records in it")
        runs.append(summarize(path.stem, records))
    table = Table(title="Lemmata report")
    for column in ("run", "solved", "pass@k", "smt-proved only", "disproved", "errors", "median s", "median samples"):
        table.add_column(column)
    for run in runs:
        table.add_row(run.name, f"{len(run.solved)}/{run.problems} ({100 * run.pass_rate:.1f}%)",
                      ", ".join(f"@{k} {100 * v:.1f}%" for k, v in run.pass_at.items()), str(len(run.smt_only)),
                      str(len(run.disproved)), str(run.errors),
                      f"{run.median_seconds_solved:.2f}" if run.median_seconds_solved is not None else "-",
                      f"{run.median_samples_solved:g}" if run.median_samples_solved is not None else "-")
    console.print(table)
    categories = Table(title="By category")
    categories.add_column("category")
    for run in runs:
        categories.add_column(run.name)
    names = [c for c in dict.fromkeys(c for run in runs for c in run.by_category)]
    for name in names:
        categories.add_row(name, *(f"{run.by_category.get(name, (0, 0))[0]}/{run.by_category.get(name, (0, 0))[1]}"
                                   for run in runs))
    console.print(categories)
    for run in runs:
        if run.stages:
            stages = Table(title=f"Stages of {run.name} (median s per attempt: {run.median_seconds:.2f})")
            for column in ("stage", "ran", "proved", "seconds", "median s", "checks"):
                stages.add_column(column)
            for stage, st in run.stages.items():
                stages.add_row(stage, str(st.ran), str(st.proved), f"{sum(st.seconds):.1f}",
                               f"{statistics.median(st.seconds):.2f}", str(st.checks))
            console.print(stages)
        if run.sampling is not None:
            console.print(f"sampling of {run.name}: {run.sampling.describe()}", markup=False)
    if len(runs) > 1:
        for name, alone in only_solved_by(runs).items():
            console.print(f"only {name} solved ({len(alone)}): {', '.join(sorted(alone)) or 'none'}", markup=False)
    if args.md:
        args.md.parent.mkdir(parents=True, exist_ok=True)
        args.md.write_text(markdown(runs), encoding="utf-8")
        console.print(f"wrote {args.md}", markup=False)
    if args.plot:
        plot(runs, args.plot)
        console.print(f"wrote {args.plot}", markup=False)
    return 0


__all__ = ["add_parsers", "run_bench", "run_report"]
