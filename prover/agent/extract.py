"""Getting code out of a model's answer: reasoning, prose and markdown around it.

Answers come as a bare script, a fenced block with prose around it, several
blocks (the last complete one is the answer), a block cut off by the token
limit (no closing fence), or nothing usable at all.
"""

from __future__ import annotations

import re

_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.S | re.I)
_FENCE = re.compile(r"```[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?P<body>.*?)(?:\n```|\Z)", re.S)


def code_blocks(text: str, languages: tuple[str, ...]) -> list[str]:
    """Fenced blocks tagged with one of ``languages`` (or untagged), in order."""
    text = _THINK.sub("", text)
    blocks = [m["body"] for m in _FENCE.finditer(text) if not m["lang"] or m["lang"].lower() in languages]
    return [b for b in blocks if b.strip()]


def answer_code(text: str, languages: tuple[str, ...], looks_like_code) -> str | None:
    """The code an answer gives: its last fitting block, else the answer itself if it reads as code."""
    cleaned = _THINK.sub("", text).strip()
    if not cleaned:
        return None
    blocks = code_blocks(cleaned, languages)
    if blocks:
        return blocks[-1].strip()
    if "```" in cleaned:  # fences of another language only
        return None
    lines = cleaned.splitlines()
    start = next((i for i, line in enumerate(lines) if looks_like_code(line)), None)
    return "\n".join(lines[start:]).strip() if start is not None else None


__all__ = ["answer_code", "code_blocks"]
