"""The record of every Bot API call the fake server received, and waiting on it.

`CallLog.wait_for` works from any event loop or thread: each recorded call wakes waiters
on their own loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.tg_decode import UploadedFile


@dataclass
class Call:
    """One API call: method, decoded params, uploaded parts, clock time and the answer."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile] = field(default_factory=dict)
    time: float = 0.0
    status: int = 200
    result: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the call was answered with `"ok": true`."""
        return self.status == 200


Predicate = Callable[[Call], bool] | str


def _matcher(predicate: Predicate) -> Callable[[Call], bool]:
    if isinstance(predicate, str):
        method = predicate
        return lambda call: call.method == method
    return predicate


class CallLog:
    """Calls in arrival order of their answers."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._lock = threading.Lock()

    def record(self, call: Call) -> None:
        """Append a call and wake everyone waiting for calls."""
        with self._lock:
            self.calls.append(call)
            waiters, self._waiters = self._waiters, []
        for loop, fut in waiters:
            if loop.is_closed():
                continue
            loop.call_soon_threadsafe(_resolve, fut)

    def calls_to(self, method: str) -> list[Call]:
        """Every call of one method."""
        return [call for call in self.calls if call.method == method]

    async def wait_for(
        self,
        predicate: Predicate,
        *,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - a deadline reported in the error, not a scope
        since: int = 0,
    ) -> list[Call]:
        """Wait until `count` calls (from index `since`) match; return all that match.

        `predicate` is a method name or a function of a Call. Raises TimeoutError naming the
        methods seen when the calls don't come within `timeout` seconds.
        """
        match = _matcher(predicate)
        found: list[Call] = []
        scanned = since
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self._lock:
                fresh = self.calls[scanned:]
                scanned += len(fresh)
                fut: asyncio.Future[None] = loop.create_future()
                self._waiters.append((loop, fut))
            found.extend(call for call in fresh if match(call))
            remaining = deadline - loop.time()
            if len(found) >= count or remaining <= 0:
                fut.cancel()
                break
            # asyncio.wait (unlike wait_for on 3.11) never swallows a cancellation
            await asyncio.wait({fut}, timeout=remaining)
            fut.cancel()
        if len(found) < count:
            seen = [call.method for call in self.calls[since:]]
            raise TimeoutError(f"{len(found)}/{count} matching calls after {timeout}s; seen {seen}")
        return found


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)
