"""Test harness for the rate limiter: virtual time, and Telegram as the sandbox models it.

`VirtualTime` gives the limiter a clock and a sleep that never wait: when every coroutine is
blocked, the clock jumps to the earliest sleeper. `Server` answers like the fake Telegram
server: its `FloodControl` on the same clock decides the 429s.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import Any, TypeVar

from telegram.error import RetryAfter

from bot.ratelimit import TelegramRateLimiter, is_limited
from bot.sandbox.telegram_emulator import FloodLimits
from bot.sandbox.tg_flood import FloodControl

T = TypeVar("T")


class VirtualTime:
    """A clock and a sleep for the limiter; sleeping only moves the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._seq), future))
        await future

    async def run(self, main: Awaitable[T]) -> T:
        """Run `main`, moving the clock whenever nothing else can run."""
        task = asyncio.ensure_future(main)
        while not task.done():
            for _ in range(50):
                await asyncio.sleep(0)
            while self._sleepers and self._sleepers[0][2].done():
                heapq.heappop(self._sleepers)
            if task.done() or not self._sleepers:
                break
            at, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, at)
            future.set_result(None)
        return await task


class Server:
    """Telegram as the sandbox models it: 30/s, 1/s per chat, 20/min per group, 429 beyond."""

    def __init__(self, vt: VirtualTime, latency: float = 0.05, *, limits: bool = True) -> None:
        self.vt, self.latency = vt, latency
        self.flood = FloodControl(FloodLimits(enabled=limits), vt.clock)
        self.accepted: list[tuple[float, str, int | str | None, str]] = []
        self.refuse: dict[str, int] = {}  # message text -> 429 retry_after, once

    async def call(self, endpoint: str, data: dict[str, Any]) -> dict[str, Any]:
        await self.vt.sleep(self.latency)
        chat, items = data.get("chat_id"), len(data.get("media") or [0])
        wait = self.refuse.pop(data.get("text", ""), None)
        if wait is None and is_limited(endpoint):
            wait = self.flood.check(chat)  # an album passes when one message fits
        if wait is not None:
            raise RetryAfter(wait)
        if is_limited(endpoint):
            self.flood.record(chat, items)
        self.accepted.append((self.vt.now, endpoint, chat, data.get("text", "")))
        return {"ok": True}


async def send(
    limiter: TelegramRateLimiter, server: Server, endpoint: str, **data: Any
) -> dict[str, Any] | bool | list[dict[str, Any]]:
    """One Bot API call through the limiter, as ExtBot makes it."""
    return await limiter.process_request(server.call, (endpoint, data), {}, endpoint, data, None)


def setup(limits: bool = True, **options: Any) -> tuple[VirtualTime, Server, TelegramRateLimiter]:
    vt = VirtualTime()
    limiter = TelegramRateLimiter(clock=vt.clock, sleep=vt.sleep, **options)
    return vt, Server(vt, limits=limits), limiter


async def burst(
    vt: VirtualTime, limiter: TelegramRateLimiter, server: Server, endpoint: str, chats: list[int]
) -> None:
    """One `endpoint` call per entry of `chats`, all at once."""
    await vt.run(asyncio.gather(*(send(limiter, server, endpoint, chat_id=c) for c in chats)))


def times(server: Server, chat: int | str | None = None) -> list[float]:
    return [round(at, 2) for at, _, c, _ in server.accepted if chat is None or c == chat]
