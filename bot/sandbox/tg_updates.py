"""The update queue behind `getUpdates`: long polling with Telegram's offset semantics.

Updates stay queued until a later `offset` confirms them, so an update handed to a poller
that died is delivered again. A new `getUpdates` ends a running one with 409 Conflict, as
Telegram does. `push` may be called from another thread than the server's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from typing import Any

from bot.sandbox.tg_errors import ApiError

JSON = dict[str, Any]
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Pending updates in order, with `update_id`s counting up from 1."""

    def __init__(self) -> None:
        self._pending: deque[JSON] = deque()
        self._next_id = 1
        self._waiters: list[asyncio.Future[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._poll_generation = 0
        self.allowed_updates: list[str] = []
        self.delivered_count = 0
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Remember the server's loop so pushes from other threads can wake pollers."""
        self._loop = loop

    def push(self, kind: str, payload: JSON) -> JSON:
        """Queue a new update of `kind` (e.g. "message") and wake waiting pollers."""
        with self._lock:
            update: JSON = {"update_id": self._next_id, kind: payload}
            self._next_id += 1
            self._pending.append(update)
        self.wake()
        return update

    def wake(self) -> None:
        """Wake every waiting poller or webhook sender (thread-safe)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake_now()
        else:
            loop.call_soon_threadsafe(self._wake_now)

    def _wake_now(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def changed(self, seconds: float) -> None:
        """Wait until the queue changes or `seconds` pass."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(fut, seconds)

    @property
    def pending(self) -> list[JSON]:
        """Updates not yet confirmed, oldest first."""
        with self._lock:
            return list(self._pending)

    def confirm(self, offset: int) -> None:
        """Forget updates below `offset`; a negative offset keeps only the last `-offset`."""
        with self._lock:
            if offset < 0:
                while len(self._pending) > -offset:
                    self._pending.popleft()
                return
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()

    def drop_all(self) -> None:
        """Forget every pending update (`drop_pending_updates`)."""
        with self._lock:
            self._pending.clear()

    def now(self) -> int:
        """Current Unix time (for webhook error dates)."""
        return int(time.time())

    def ready(self, limit: int) -> list[JSON]:
        """The first `limit` pending updates of the allowed kinds."""
        allowed = set(self.allowed_updates)
        batch: list[JSON] = []
        with self._lock:
            for update in self._pending:
                kind = next(k for k in update if k != "update_id")
                if (kind in allowed) if allowed else (kind not in DEFAULT_EXCLUDED):
                    batch.append(update)
                    if len(batch) >= limit:
                        break
        return batch

    async def get(
        self, offset: int | None, limit: int, wait: float, allowed: list[str] | None
    ) -> list[JSON]:
        """Answer one `getUpdates` call: confirm, then long-poll up to `wait` seconds."""
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_now()  # ends an older running poll (it answers 409)
        if allowed is not None:
            self.allowed_updates = list(allowed)
        if offset is not None:
            self.confirm(offset)
        limit = max(1, min(100, limit))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, wait)
        while True:
            batch = self.ready(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0:
                self.delivered_count += len(batch)
                return batch
            await self.changed(remaining)
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request")
