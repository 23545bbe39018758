"""What one problem may spend: LLM samples, checker calls, wall-clock seconds.

Every stage draws from one ``Spending`` before it acts, so exhaustion stops the
run at the next sample or check instead of at the end of a stage, and checker
timeouts are cut to the time that is left.
"""

from __future__ import annotations

import threading
import time

from pydantic import BaseModel, Field


class Budget(BaseModel):
    """What one problem may spend: LLM samples, checker calls and wall-clock seconds (text form: ``samples=32,checks=2000,seconds=300``)."""

    samples: int = Field(default=32, ge=0, description="LLM completions, all stages together")
    checks: int = Field(default=2000, ge=1, description="checker calls")
    seconds: float = Field(default=300.0, gt=0, description="wall clock for the whole problem")


class BudgetExhausted(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(f"budget exhausted: {what}")
        self.what = what


class Spending:
    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.started = time.monotonic()
        self.samples = 0
        self.checks = 0
        self._lock = threading.Lock()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def seconds_left(self) -> float:
        return self.budget.seconds - self.elapsed

    def ensure_time(self) -> float:
        left = self.seconds_left()
        if left <= 0:
            raise BudgetExhausted(f"{self.budget.seconds:g} s of wall clock")
        return left

    def take_check(self, timeout: float, *, grace: float = 0.0) -> float:
        """Count one checker call; the timeout it may use. ``grace``: seconds past the wall clock this check may
        still start and run in (a completion already received and paid for is checked, not thrown away)."""
        left = self.seconds_left() + grace
        if left <= 0:
            self.ensure_time()
        with self._lock:
            if self.checks >= self.budget.checks:
                raise BudgetExhausted(f"{self.budget.checks} checker calls")
            self.checks += 1
        return max(0.05, min(timeout, left))

    def take_samples(self, wanted: int) -> int:
        """Reserve up to ``wanted`` LLM samples; how many were granted (at least 1)."""
        self.ensure_time()
        with self._lock:
            granted = min(wanted, self.budget.samples - self.samples)
            if granted <= 0:
                raise BudgetExhausted(f"{self.budget.samples} LLM samples")
            self.samples += granted
        return granted

    def refund_samples(self, count: int) -> None:
        with self._lock:
            self.samples -= count


__all__ = ["Budget", "BudgetExhausted", "Spending"]
