"""Virtual time shared by processes: a scaled view of the system-wide monotonic clock.

The emulators run on virtual seconds; the bot runs on real ones with every interval divided
by the same factor, so ten virtual minutes pass in ``600 / factor`` real seconds.
"""

from __future__ import annotations

import math
import multiprocessing
import random
import time
from dataclasses import dataclass, field
from multiprocessing.sharedctypes import Synchronized


@dataclass(frozen=True)
class VirtualClock:
    """Virtual seconds since `origin` (a `time.monotonic()` reading), `factor` times real."""

    origin: float
    factor: float = 1.0

    def __call__(self) -> float:
        return (time.monotonic() - self.origin) * self.factor

    @classmethod
    def start(cls, factor: float) -> VirtualClock:
        """A clock whose virtual zero is now."""
        return cls(time.monotonic(), factor)


@dataclass
class SteppedClock:
    """Virtual time that only moves when `set` (shared with the emulators' process)."""

    value: Synchronized[float] = field(
        default_factory=lambda: multiprocessing.get_context("spawn").Value("d", 0.0)
    )

    def __call__(self) -> float:
        return float(self.value.value)

    def set(self, now: float) -> None:
        """Move the clock to `now`."""
        self.value.value = now


@dataclass
class LogUniform:
    """Run times drawn log-uniformly from [`low`, `high`] seconds, seeded, in draw order.

    Passed to the emulator as `duration_fn`: each created task takes the next draw.
    """

    low: float = 5.0
    high: float = 600.0
    seed: int = 1

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def __call__(self, workflow_id: str) -> float:
        return math.exp(self._rng.uniform(math.log(self.low), math.log(self.high)))


@dataclass(frozen=True)
class Fixed:
    """The same run time for every task."""

    seconds: float = 0.0

    def __call__(self, workflow_id: str) -> float:
        return self.seconds
