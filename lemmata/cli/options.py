"""Command-line options that `prove`, `bench` and `steps` share, and how they become the prover's options."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from lemmata.cli.serve_model_command import add_serve_options
from lemmata.prover.agent import Budget
from lemmata.prover.languages import LanguageEntry
from lemmata.prover.llm.config import LLMConfig
from lemmata.prover.proving import ProveOptions, budget_from_text, model_config, prove_options
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.lean.config import CHECKERS


def _budget(text: str) -> Budget:
    try:
        return budget_from_text(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_model_options(parser: argparse.ArgumentParser) -> None:
    model = parser.add_argument_group("model (flags win over OPENAI_BASE_URL, OPENAI_API_KEY, LEMMATA_MODEL, "
                                      "then the [llm] table of --config)")
    model.add_argument("--model", help="model name as the server knows it")
    model.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1")
    model.add_argument("--api-key", help="API key (prefer OPENAI_API_KEY)")
    model.add_argument("--config", type=Path, metavar="TOML", help="config file (default ~/.config/lemmata/config.toml)")
    model.add_argument("--replay", type=Path, metavar="JSONL", help="serve recorded completions instead of a model")
    model.add_argument("--no-llm", action="store_true", help="run only the stages that need no model")
    model.add_argument("--serve-model", metavar="BACKEND:MODEL",
                       help="start a local server for this run (vllm, sglang or llama.cpp, e.g. "
                            "llama.cpp:/models/prover.gguf) and sample from it; stopped when the run ends")
    add_serve_options(model)


def add_lean_options(parser: argparse.ArgumentParser) -> None:
    """Where Lean checks go (README "Lean 4": the REPL pool, a Kimina Lean Server, LeanDojo)."""
    lean = parser.add_argument_group("Lean checker (LEMMATA_LEAN_CHECKER, LEMMATA_KIMINA_URL, LEMMATA_KIMINA_API_KEY)")
    lean.add_argument("--lean-checker", choices=CHECKERS, help="repl (default), kimina or dojo")
    lean.add_argument("--lean-url", metavar="URL", help="the Kimina Lean Server, e.g. http://localhost:8000")
    lean.add_argument("--lean-api-key", metavar="KEY", help="its API key (prefer LEMMATA_KIMINA_API_KEY)")


def apply_lean_options(args: argparse.Namespace) -> None:
    """Put the Lean flags where every checker (and every bench worker process) reads them: the environment."""
    for flag, name in (("lean_checker", "LEMMATA_LEAN_CHECKER"), ("lean_url", "LEMMATA_KIMINA_URL"),
                       ("lean_api_key", "LEMMATA_KIMINA_API_KEY")):
        if getattr(args, flag, None):
            os.environ[name] = getattr(args, flag)
    if getattr(args, "lean_url", None) and not getattr(args, "lean_checker", None):
        os.environ["LEMMATA_LEAN_CHECKER"] = "kimina"  # a server's URL says which checker


def add_agent_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--samples", type=int, default=4, metavar="K", help="whole proofs sampled per round")
    parser.add_argument("--budget", type=_budget, default=Budget(), metavar="SPEC",
                        help="limits per problem, e.g. samples=32,checks=2000,seconds=300 (those are the defaults)")
    parser.add_argument("--tactic-timeout", type=float, default=3.0, metavar="S", help="seconds per automation tactic")
    parser.add_argument("--tactics", metavar="LIST", help="comma-separated automation to try (default: the whole "
                        "portfolio: lia,lra,nia,nra,psatz,ring,field,compute,intuition,subst-lia,sauto,hammer)")
    parser.add_argument("--trace", type=Path, metavar="DIR", help="record prompts, completions, checks as JSONL here")


def llm_config(args: argparse.Namespace) -> LLMConfig | None:
    """The model the flags, environment and config file describe; None with --no-llm or none configured."""
    return model_config(model=args.model, base_url=args.base_url, api_key=args.api_key, config=args.config,
                        replay=args.replay, no_llm=args.no_llm, concurrency=getattr(args, "concurrency", None))


def options_from_args(args: argparse.Namespace, entry: LanguageEntry) -> ProveOptions:
    """The prover's options from the model and agent flags (and --theorem, --record where the command has them)."""
    return prove_options(entry, theorem=getattr(args, "theorem", None), model=args.model, base_url=args.base_url,
                         api_key=args.api_key, config=args.config, replay=args.replay, no_llm=args.no_llm,
                         concurrency=getattr(args, "concurrency", None),
                         record=getattr(args, "record", None), samples=args.samples, budget=args.budget,
                         tactics=args.tactics, tactic_timeout=args.tactic_timeout, trace=args.trace)


__all__ = ["add_agent_options", "add_lean_options", "add_model_options", "apply_lean_options", "llm_config",
           "options_from_args"]
