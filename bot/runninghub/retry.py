"""Bounded, jittered retries with an injectable sleep, for read-only calls only.

A paid create never goes through here once its request may have reached the server.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.runninghub.errors import TransientError

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """Up to `attempts` tries; waits grow from `base` by doubling, capped, with full jitter."""

    attempts: int = 4
    base: float = 0.5
    cap: float = 8.0
    sleep: Sleep = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        """Return the wait before retry number `attempt` (1-based)."""
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return self.rng.uniform(ceiling / 2, ceiling)


async def retry_transient(call: Callable[[], Awaitable[T]], policy: RetryPolicy) -> T:
    """Run `call`, retrying TransientError up to the policy's bound; re-raise the last one."""
    for attempt in range(1, policy.attempts + 1):
        try:
            return await call()
        except TransientError:
            if attempt == policy.attempts:
                raise
            await policy.sleep(policy.delay(attempt))
    raise AssertionError("unreachable")  # pragma: no cover
