"""The Lean REPL's wire protocol (leanprover-community/repl): requests, responses, framing.

Requests and responses are JSON objects, each followed by a blank line. A
command elaborates Lean source, optionally on top of an earlier environment
(``env``), and answers with the new environment's id, its messages and its
``sorry``s (each with the goal and a proof state to continue from); a tactic
runs in a proof state and answers with the next one. Positions are 1-based
lines and 0-based columns in code points.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Pos(BaseModel):
    line: int
    column: int


class Message(BaseModel):
    severity: Literal["error", "warning", "info"]
    pos: Pos
    end_pos: Pos | None = Field(default=None, alias="endPos")
    data: str

    model_config = ConfigDict(populate_by_name=True)


class Sorry(BaseModel):
    pos: Pos | None = None  # tactic-mode sorries have none
    end_pos: Pos | None = Field(default=None, alias="endPos")
    goal: str
    proof_state: int | None = Field(default=None, alias="proofState")

    model_config = ConfigDict(populate_by_name=True)


class CommandResponse(BaseModel):
    env: int
    messages: list[Message] = Field(default_factory=list)
    sorries: list[Sorry] = Field(default_factory=list)

    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "error"]


class TacticResponse(BaseModel):
    proof_state: int = Field(alias="proofState")
    goals: list[str] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    sorries: list[Sorry] = Field(default_factory=list)
    proof_status: str | None = Field(default=None, alias="proofStatus")

    model_config = ConfigDict(populate_by_name=True)


class ReplError(BaseModel):
    """The REPL refused the request itself (unknown environment, unknown tactic syntax, ...)."""

    message: str


Response = CommandResponse | TacticResponse | ReplError


def command(code: str, env: int | None = None) -> dict:
    request: dict = {"cmd": code}
    if env is not None:
        request["env"] = env
    return request


def tactic(code: str, proof_state: int) -> dict:
    return {"tactic": code, "proofState": proof_state}


def encode(request: dict) -> bytes:
    """One request on the wire: compact JSON (no blank line inside), then a blank line."""
    return (json.dumps(request, ensure_ascii=False) + "\n\n").encode("utf-8")


def decode(text: str) -> Response:
    """One response; raises ``ValueError`` when it is not one the protocol defines."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"a REPL response is a JSON object, not {type(data).__name__}")
    if "message" in data and "env" not in data and "proofState" not in data:
        return ReplError(message=data["message"])
    if "env" in data:
        return CommandResponse.model_validate(data)
    if "proofState" in data:
        return TacticResponse.model_validate(data)
    raise ValueError(f"unrecognised REPL response with keys {sorted(data)}")


__all__ = ["CommandResponse", "Message", "Pos", "ReplError", "Response", "Sorry", "TacticResponse", "command",
           "decode", "encode", "tactic"]
