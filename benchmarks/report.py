"""What a results file says: pass rate, pass@k, categories, costs, and how runs compare.

Pure functions over ``ResultRecord`` lists, plus a Markdown rendering and a
PNG plot (matplotlib, imported only when a plot is asked for). A problem counts
as solved only when an attempt's status is ``proved``; ``smt-proved`` is
counted apart and never as solved.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from lemmata.benchmarks.results import ResultRecord

CATEGORIES = ("mathd algebra", "mathd number theory", "amc", "aime", "imo", "induction", "other")


def category(problem: str) -> str:
    if problem.startswith("mathd_algebra"):
        return "mathd algebra"
    if problem.startswith("mathd_numbertheory"):
        return "mathd number theory"
    for prefix in ("amc", "aime", "imo", "induction"):
        if problem.startswith(prefix):
            return prefix
    return "other"


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimator of pass@k from n attempts with c successes (Chen et al., 2021)."""
    if k > n:
        raise ValueError(f"pass@{k} needs at least {k} attempts, not {n}")
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


@dataclass
class RunStats:
    name: str
    problems: int
    attempts: int
    solved: set[str]
    smt_only: set[str]
    disproved: set[str]
    errors: int
    pass_at: dict[int, float]
    by_category: dict[str, tuple[int, int]]  # category -> (solved, problems)
    median_seconds_solved: float | None
    median_samples_solved: float | None
    samples_to_solve: dict[str, int] = field(default_factory=dict)  # fewest samples a proof took, per problem
    seconds_to_solve: dict[str, float] = field(default_factory=dict)  # least time a proof took, per problem
    seconds_total: float = 0.0
    median_seconds: float | None = None  # over every attempt, proved or not
    stages: dict[str, "StageStats"] = field(default_factory=dict)
    tokens: int = 0
    cost_usd: float = 0.0
    sampling: SamplingStats | None = None

    @property
    def pass_rate(self) -> float:
        return len(self.solved) / self.problems if self.problems else 0.0


@dataclass
class StageStats:
    """One stage over a run: in how many attempts it ran, how many it proved, what it cost."""

    ran: int = 0
    proved: int = 0
    seconds: list[float] = field(default_factory=list)
    checks: int = 0


@dataclass
class SamplingStats:
    """What the model server and the checker did over a run (attempts that sampled only)."""

    requests: int
    samples: int
    abandoned: int
    completion_tokens: int
    wall_seconds: float
    generating_seconds: float
    checking_seconds: float
    idle_seconds: float

    @property
    def samples_per_second(self) -> float:
        return self.samples / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.completion_tokens / self.generating_seconds if self.generating_seconds else 0.0

    def describe(self) -> str:
        wall = self.wall_seconds or 1.0
        return (f"{self.requests} requests, {self.samples} samples ({self.samples_per_second:.2f}/s, "
                f"{self.tokens_per_second:.0f} completion tokens/s), {self.abandoned} requests abandoned; "
                f"server busy {100 * self.generating_seconds / wall:.0f}% of the wall clock, checker "
                f"{100 * self.checking_seconds / wall:.0f}%, neither {100 * self.idle_seconds / wall:.0f}%")


def sampling_stats(records: list[ResultRecord]) -> SamplingStats | None:
    sampled = [r for r in records if r.usage.get("requests")]
    if not sampled:
        return None

    def total(source: str, key: str) -> float:
        return sum(float(getattr(r, source).get(key, 0)) for r in sampled)

    return SamplingStats(requests=int(total("usage", "requests")), samples=int(total("usage", "samples")),
                         abandoned=int(total("usage", "abandoned")),
                         completion_tokens=int(total("usage", "completion_tokens")),
                         wall_seconds=total("throughput", "wall_seconds"),
                         generating_seconds=total("throughput", "generating_seconds"),
                         checking_seconds=total("throughput", "checking_seconds"),
                         idle_seconds=total("throughput", "idle_seconds"))


def stage_stats(records: list[ResultRecord]) -> dict[str, StageStats]:
    """Per stage name, in the order stages first appear."""
    stats: dict[str, StageStats] = {}
    for record in records:
        for stage in record.stages:
            entry = stats.setdefault(stage.get("stage", "?"), StageStats())
            entry.ran += 1
            entry.proved += stage.get("outcome") == "proved"
            entry.seconds.append(float(stage.get("seconds", 0.0)))
            entry.checks += int(stage.get("checks", 0))
    return stats


def summarize(name: str, records: list[ResultRecord]) -> RunStats:
    by_problem: dict[str, list[ResultRecord]] = {}
    for record in records:
        by_problem.setdefault(record.problem, []).append(record)
    solved = {p for p, rs in by_problem.items() if any(r.status == "proved" for r in rs)}
    smt_only = {p for p, rs in by_problem.items() if p not in solved and any(r.status == "smt-proved" for r in rs)}
    disproved = {p for p, rs in by_problem.items() if any(r.status == "disproved" for r in rs)}
    fewest = min((len(rs) for rs in by_problem.values()), default=0)
    pass_at: dict[int, float] = {}
    for k in sorted({1, 2, 4, 8, 16, 32, 64, 128, fewest} - {0}):
        if k <= fewest:
            values = [pass_at_k(len(rs), sum(r.status == "proved" for r in rs), k) for rs in by_problem.values()]
            pass_at[k] = sum(values) / len(values)
    by_category: dict[str, tuple[int, int]] = {}
    for problem in by_problem:
        done, total = by_category.get(category(problem), (0, 0))
        by_category[category(problem)] = (done + (problem in solved), total + 1)
    proving = [min((r for r in by_problem[p] if r.status == "proved"), key=lambda r: r.samples) for p in solved]
    return RunStats(
        name=name, problems=len(by_problem), attempts=len(records), solved=solved, smt_only=smt_only,
        disproved=disproved, errors=sum(r.status == "error" for r in records), pass_at=pass_at,
        by_category={c: by_category[c] for c in CATEGORIES if c in by_category},
        median_seconds_solved=statistics.median(r.seconds for r in proving) if proving else None,
        median_samples_solved=statistics.median(r.samples for r in proving) if proving else None,
        samples_to_solve={r.problem: r.samples for r in proving},
        seconds_to_solve={p: min(r.seconds for r in by_problem[p] if r.status == "proved") for p in solved},
        seconds_total=round(sum(r.seconds for r in records), 1),
        median_seconds=statistics.median(r.seconds for r in records) if records else None,
        stages=stage_stats(records), tokens=sum(r.tokens for r in records),
        cost_usd=round(sum(r.cost_usd for r in records), 4), sampling=sampling_stats(records))


def only_solved_by(runs: list[RunStats]) -> dict[str, set[str]]:
    """For each run, the problems it solved and no other run did."""
    return {run.name: run.solved - set().union(*(o.solved for o in runs if o is not run)) for run in runs}


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def markdown(runs: list[RunStats]) -> str:
    lines = ["| run | solved | pass@k | smt-proved only | disproved | errors | median s (solved) | "
             "median samples (solved) | tokens | cost |", "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for run in runs:
        pass_text = ", ".join(f"@{k} {100 * v:.1f}%" for k, v in run.pass_at.items())
        med_s = f"{run.median_seconds_solved:.2f}" if run.median_seconds_solved is not None else "-"
        med_n = f"{run.median_samples_solved:g}" if run.median_samples_solved is not None else "-"
        lines.append(f"| {run.name} | {_percent(len(run.solved), run.problems)} | {pass_text} | {len(run.smt_only)} | "
                     f"{len(run.disproved)} | {run.errors} | {med_s} | {med_n} | {run.tokens} | ${run.cost_usd:.2f} |")
    lines += ["", "| category | " + " | ".join(run.name for run in runs) + " |",
              "| --- | " + " | ".join("---:" for _ in runs) + " |"]
    for name in CATEGORIES:
        if any(name in run.by_category for run in runs):
            cells = [_percent(*run.by_category.get(name, (0, 0))) for run in runs]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for run in runs:
        if run.stages:
            median_all = f"{run.median_seconds:.2f}" if run.median_seconds is not None else "-"
            lines += ["", f"Stages of {run.name} (median seconds per attempt, all attempts: {median_all}):", "",
                      "| stage | ran | proved | seconds (total) | seconds (median) | checks |",
                      "| --- | ---: | ---: | ---: | ---: | ---: |"]
            for stage, st in run.stages.items():
                lines.append(f"| {stage} | {st.ran} | {st.proved} | {sum(st.seconds):.1f} | "
                             f"{statistics.median(st.seconds):.2f} | {st.checks} |")
    for run in runs:
        if run.sampling is not None:
            lines += ["", f"Sampling of {run.name}: {run.sampling.describe()}."]
    for run in runs:
        lines += ["", f"Solved by {run.name} ({len(run.solved)}): " + (", ".join(sorted(run.solved)) or "none") + "."]
    if len(runs) > 1:
        for name, alone in only_solved_by(runs).items():
            lines.append(f"\nOnly {name} solved ({len(alone)}): " + (", ".join(sorted(alone)) or "none") + ".")
    return "\n".join(lines) + "\n"


def plot(runs: list[RunStats], path: Path) -> None:
    """Problems proved against LLM samples spent (left) and against seconds spent (right), one line per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    figure, (by_samples, by_seconds) = plt.subplots(1, 2, figsize=(10, 4), dpi=120)
    for run in runs:
        label = f"{run.name} ({len(run.solved)}/{run.problems})"
        spent = sorted(run.samples_to_solve.values())
        xs = list(range(0, max(spent + [1]) + 1))
        by_samples.step(xs, [sum(1 for s in spent if s <= x) for x in xs], where="post", label=label, marker="o",
                        markersize=3)
        times = sorted(run.seconds_to_solve.values())
        by_seconds.step([0.0, *times], list(range(len(times) + 1)), where="post", label=label)
    by_samples.set_xlabel("LLM samples spent on the problem (at most)")
    by_samples.xaxis.set_major_locator(MaxNLocator(integer=True))
    by_seconds.set_xlabel("seconds spent on the problem (at most)")
    by_seconds.set_xscale("symlog", linthresh=1.0)
    for axes in (by_samples, by_seconds):
        axes.set_ylabel("problems proved")
        axes.set_ylim(bottom=0)
        axes.grid(alpha=0.3)
        axes.legend(loc="lower right")
    figure.suptitle("Problems proved vs budget spent")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)


__all__ = ["CATEGORIES", "RunStats", "SamplingStats", "StageStats", "category", "markdown", "only_solved_by", "pass_at_k", "plot", "sampling_stats", "stage_stats", "summarize"]
