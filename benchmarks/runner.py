"""Running a suite: the jobs not yet in the results file, through an executor, with live progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from lemmata.benchmarks.results import ResultRecord, ResultsWriter, read_results
from lemmata.benchmarks.suites import Suite, SuiteProblem
from lemmata.benchmarks.worker import Job


@dataclass
class RunSummary:
    total: int  # attempts the run covers, resumed ones included
    skipped: int  # already in the results file
    ran: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    interrupted: bool = False


def plan_jobs(suite: Suite, problems: list[SuiteProblem], attempts: int, out: Path,
              make_job: Callable[[SuiteProblem, int], Job]) -> tuple[list[Job], int]:
    """The jobs still to run, and how many attempts the results file already has."""
    done = {r.key for r in read_results(out) if r.suite == suite.name and r.split == suite.split}
    wanted = [(p, a) for p in problems for a in range(attempts)]
    jobs = [make_job(p, a) for p, a in wanted if (p.id, a) not in done]
    return jobs, len(wanted) - len(jobs)


def run_jobs(jobs: list[Job], skipped: int, out: Path, executor, console: Console | None = None) -> RunSummary:
    summary = RunSummary(total=len(jobs) + skipped, skipped=skipped)
    writer = ResultsWriter(out)
    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[proved]} proved"), TimeElapsedColumn(), TextColumn("eta"),
                        TimeRemainingColumn(), console=console or Console(stderr=True), transient=False,
                        disable=console is not None and not console.is_terminal)
    try:
        with progress:
            task = progress.add_task("bench", total=summary.total, completed=skipped, proved=0)
            for job, data in executor.run(jobs):
                record = ResultRecord.model_validate(data)
                writer.write(record)
                summary.ran += 1
                summary.counts[record.status] = summary.counts.get(record.status, 0) + 1
                progress.update(task, advance=1, proved=summary.counts.get("proved", 0),
                                description=f"{job.problem}: {record.status}")
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        writer.close()
        executor.close()
    return summary


__all__ = ["RunSummary", "plan_jobs", "run_jobs"]
