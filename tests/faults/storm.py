"""A Telegram error storm: for a while, a share of chosen Bot API calls fail before taking effect.

The fake server's faults hit "the next call of a method"; the storm keeps re-arming them from
the call log with a seeded random, so each watched call fails with probability `rate` — and the
first call of each method always fails, so every method is hit at least once.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from bot.sandbox.telegram_emulator import TelegramEmulator

ERRORS: tuple[tuple[int, str, int | None], ...] = (
    (500, "Internal Server Error", None),
    (502, "Bad Gateway", None),
    (429, "Too Many Requests: retry after 1", 1),
)


@dataclass
class Storm:
    """Fail `rate` of the calls to `methods` with 500/502/429, for at least `seconds` and until
    every method was hit (at most `limit` seconds); count the errors by status."""

    tg: TelegramEmulator
    methods: frozenset[str]
    seconds: float
    limit: float = 15.0
    rate: float = 0.3
    seed: int = 7
    injected: dict[int, int] = field(default_factory=dict)
    hit: set[str] = field(default_factory=set)

    async def run(self) -> None:
        """Arm faults until the storm ends (then disarm those not yet used)."""
        rng = random.Random(self.seed)
        loop = asyncio.get_running_loop()
        start = loop.time()
        seen = len(self.tg.calls)
        for method in sorted(self.methods):
            self._arm(rng, method)
        while not self._over(loop.time() - start):
            left = min(self.limit, max(self.seconds, 0.1)) - (loop.time() - start)
            try:
                await self.tg.wait_for(self._watched, since=seen, timeout=max(0.05, left))
            except TimeoutError:
                continue
            fresh = self.tg.calls[seen:]
            seen += len(fresh)
            for call in fresh:
                if self._watched(call):
                    if not call.ok:
                        self.hit.add(call.method)
                    self._maybe_arm(rng, call.method)
        self.tg.server.faults.clear()

    def _over(self, elapsed: float) -> bool:
        if elapsed >= self.limit:
            return True
        return elapsed >= self.seconds and self.hit >= self.methods

    def _watched(self, call: object) -> bool:
        return getattr(call, "method", None) in self.methods

    def _maybe_arm(self, rng: random.Random, method: str) -> None:
        if rng.random() < self.rate:
            self._arm(rng, method)

    def _arm(self, rng: random.Random, method: str) -> None:
        status, description, retry_after = rng.choice(ERRORS)
        self.tg.inject(method, status, description, retry_after=retry_after)
        self.injected[status] = self.injected.get(status, 0) + 1
