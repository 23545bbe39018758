"""Command-line options that `prove` and `bench` share: the model, the budget, the agent's settings."""

from __future__ import annotations

import argparse
from pathlib import Path

from prover.agent import AgentSettings, Budget, ProofLanguage
from prover.llm.client import LLMError
from prover.llm.config import LLMConfig
from verifiers.errors import LemmataError


def budget_from_text(text: str) -> Budget:
    """``samples=32,checks=2000,seconds=300`` (any subset) → Budget."""
    values: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in Budget.model_fields:
            raise argparse.ArgumentTypeError(f"bad budget item {part!r}: use samples=N,checks=N,seconds=S")
        values[key.strip()] = value.strip()
    try:
        return Budget(**values)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"bad budget {text!r}: {exc.errors()[0]['msg']}") from None


def add_model_options(parser: argparse.ArgumentParser) -> None:
    model = parser.add_argument_group("model (flags win over OPENAI_BASE_URL, OPENAI_API_KEY, LEMMATA_MODEL, "
                                      "then the [llm] table of --config)")
    model.add_argument("--model", help="model name as the server knows it")
    model.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1")
    model.add_argument("--api-key", help="API key (prefer OPENAI_API_KEY)")
    model.add_argument("--config", type=Path, metavar="TOML", help="config file (default ~/.config/lemmata/config.toml)")
    model.add_argument("--replay", type=Path, metavar="JSONL", help="serve recorded completions instead of a model")
    model.add_argument("--no-llm", action="store_true", help="run only the stages that need no model")


def add_agent_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--samples", type=int, default=4, metavar="K", help="whole proofs sampled per round")
    parser.add_argument("--budget", type=budget_from_text, default=Budget(), metavar="SPEC",
                        help="limits per problem, e.g. samples=32,checks=2000,seconds=300 (those are the defaults)")
    parser.add_argument("--tactic-timeout", type=float, default=3.0, metavar="S", help="seconds per automation tactic")
    parser.add_argument("--tactics", metavar="LIST", help="comma-separated automation to try (default: the whole "
                        "portfolio: lia,lra,nia,nra,psatz,ring,field,compute,intuition,subst-lia,sauto,hammer)")
    parser.add_argument("--trace", type=Path, metavar="DIR", help="record prompts, completions, checks as JSONL here")


def llm_config(args: argparse.Namespace) -> LLMConfig | None:
    """The model the flags, environment and config file describe; None with --no-llm or none configured."""
    if args.no_llm:
        return None
    try:
        config = LLMConfig.resolve({"model": args.model, "base_url": args.base_url, "api_key": args.api_key,
                                    "replay": args.replay}, config_file=args.config)
    except LLMError as exc:
        raise LemmataError(str(exc)) from None
    if config.replay is not None and not config.replay.is_file():
        raise LemmataError(f"cannot read the replay file {config.replay}: no such file")
    return config if config.configured else None


def agent_settings(args: argparse.Namespace, language: ProofLanguage) -> AgentSettings:
    if args.samples < 1:
        raise LemmataError("--samples must be at least 1")
    if args.tactic_timeout <= 0:
        raise LemmataError("--tactic-timeout must be positive")
    tactics = None
    if args.tactics is not None:
        tactics = tuple(t.strip() for t in args.tactics.split(",") if t.strip())
        known = {t.name for t in language.automation()}
        if unknown := [t for t in tactics if t not in known]:
            raise LemmataError(f"unknown tactic(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return AgentSettings(samples_per_round=args.samples, tactic_timeout=args.tactic_timeout, tactics=tactics)


__all__ = ["add_agent_options", "add_model_options", "agent_settings", "budget_from_text", "llm_config"]
