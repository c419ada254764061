"""Configuration of the RunningHub emulator (timings, limits, clock, webhook retry policy)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class EmulatorConfig:
    """Knobs of one emulator instance; every duration is in seconds of `clock`.

    `clock` drives task state, URL expiry and coins; webhook retry delays and the sweeper
    interval are real (asyncio) seconds, so tests can advance a fake clock and still see
    callbacks arrive quickly.
    """

    queue_seconds: float = 2.0
    run_seconds: float = 5.0
    duration_fn: Callable[[str], float] | None = None
    url_ttl_seconds: float = 86400.0
    upload_limit_bytes: int = 30 * 1024 * 1024
    numeric_task_ids: bool = False
    clock: Callable[[], float] = time.monotonic
    webhook_retries: int = 3
    webhook_retry_delay: float = 1.0
    webhook_timeout: float = 5.0
    sweep_interval: float = 0.05
    fault_seed: int = 0
    record_requests: bool = True
    max_image_side: int = 512


class ManualClock:
    """A clock that only moves when told to: pass it as `EmulatorConfig.clock` in tests."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        """Move forward by `seconds`; returns the new time."""
        self.now += seconds
        return self.now
