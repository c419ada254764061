"""Telegram's flood limits, emulated with sliding windows on an injectable clock.

Limits (Bots FAQ): about 30 messages per second overall, 1 per second per chat and 20 per
minute per group; edits share them. A call over a limit is answered 429 with the number of
seconds until the window lets it through (`retry_after`, at least 1).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

FLOODED_PREFIXES = ("send", "edit", "copyMessage", "forwardMessage")
NOT_FLOODED = frozenset({"sendChatAction"})


@dataclass(frozen=True)
class FloodLimits:
    """Rates the fake server enforces; `enabled=False` turns them off."""

    global_per_second: int = 30
    per_chat_per_second: int = 1
    per_group_per_minute: int = 20
    enabled: bool = True


def is_flooded_method(method: str) -> bool:
    """Whether a method counts against the message limits (sending and editing)."""
    return method.startswith(FLOODED_PREFIXES) and method not in NOT_FLOODED


class _Window:
    """Timestamps of accepted messages within the last `span` seconds."""

    __slots__ = ("limit", "span", "times")

    def __init__(self, limit: int, span: float) -> None:
        self.limit = limit
        self.span = span
        self.times: deque[float] = deque()

    def wait(self, now: float, n: int) -> float:
        """Seconds until `n` more messages fit (0 when they fit now)."""
        while self.times and self.times[0] <= now - self.span:
            self.times.popleft()
        excess = len(self.times) + n - self.limit
        if excess <= 0:
            return 0.0
        if excess > len(self.times):
            return self.span
        return self.times[excess - 1] + self.span - now

    def add(self, now: float, n: int) -> None:
        self.times.extend([now] * n)


class FloodControl:
    """Per-chat, per-group and global windows; counts the 429s it caused."""

    def __init__(self, limits: FloodLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._global = _Window(limits.global_per_second, 1.0)
        self._chats: dict[int | str, _Window] = {}
        self._groups: dict[int | str, _Window] = {}
        self.rejections = 0

    def _windows(self, chat_id: int | str | None) -> list[_Window]:
        windows = [self._global]
        if chat_id is None:
            return windows
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Window(self.limits.per_chat_per_second, 1.0)
        windows.append(chat)
        if isinstance(chat_id, str) or chat_id < 0:
            group = self._groups.get(chat_id)
            if group is None:
                group = self._groups[chat_id] = _Window(self.limits.per_group_per_minute, 60.0)
            windows.append(group)
        return windows

    def check(self, chat_id: int | str | None, n: int = 1) -> int | None:
        """Return `retry_after` seconds if `n` messages to `chat_id` would exceed a limit.

        An album passes when one message fits and is then recorded as all its items, so
        the calls after it wait longer, as they do on Telegram.
        """
        if not self.limits.enabled:
            return None
        now = self._clock()
        wait = max(window.wait(now, n) for window in self._windows(chat_id))
        if wait <= 0:
            return None
        self.rejections += 1
        return max(1, math.ceil(wait))

    def record(self, chat_id: int | str | None, n: int = 1) -> None:
        """Count `n` accepted messages to `chat_id`."""
        if not self.limits.enabled:
            return
        now = self._clock()
        for window in self._windows(chat_id):
            window.add(now, n)
