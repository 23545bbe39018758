"""Does `lemmata steps` keep flat memory however large its input? Peak memory at two input sizes.

    python -m lemmata.benchmarks.measure.steps_stream --sizes-mb 100 1000 --workers 2

Writes a JSONL file of the given size from generated chains (each line
carries a filler field, so a 1 GB file stays a few minutes of checking),
runs ``lemmata steps IN --out OUT --workers W`` on it, and samples the
summed resident memory of the command's process tree every 0.2 s. Flat
memory means the peak does not grow with the file. Reported per size: lines,
seconds, chains/s and the peak. Input and output are deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from lemmata.benchmarks.measure.steps_eval import generate


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def write_input(path: Path, megabytes: int, line_bytes: int) -> int:
    chains = generate(400)
    filler = "x" * line_bytes
    lines, written, target = 0, 0, megabytes * 1024 * 1024
    with path.open("w", encoding="utf-8") as f:
        while written < target:
            line = json.dumps({**chains[lines % len(chains)], "id": lines, "filler": filler}) + "\n"
            f.write(line)
            written += len(line)
            lines += 1
    return lines


def run_one(megabytes: int, workers: int, line_bytes: int, folder: Path) -> dict:
    source, out = folder / f"in-{megabytes}.jsonl", folder / f"out-{megabytes}.jsonl"
    lines = write_input(source, megabytes, line_bytes)
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "lemmata", "steps", str(source), "--out", str(out),
                             "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _rss_kib(_tree(proc.pid)))
        time.sleep(0.2)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"lemmata steps failed: {proc.stderr.read().decode()[-2000:]}")
    with out.open("rb") as f:
        answered = sum(1 for _ in f)
    source.unlink()
    out.unlink()
    return {"input_mb": megabytes, "lines": lines, "answered": answered, "seconds": round(seconds, 1),
            "chains_per_second": round(lines / seconds, 1), "peak_rss_mib": round(peak / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--line-kb", type=int, default=64, help="filler per line (KiB)")
    parser.add_argument("--tmp", type=Path, help="folder for the input and output files (default: system temp)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.tmp) as folder:
        runs = [run_one(size, args.workers, args.line_kb * 1024, Path(folder)) for size in args.sizes_mb]
    print(json.dumps({"date": date.today().isoformat(), "machine": f"{platform.node()} {platform.machine()}",
                      "command": " ".join(["python -m lemmata.benchmarks.measure.steps_stream",
                                           *(argv if argv is not None else sys.argv[1:])]),
                      "workers": args.workers, "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
