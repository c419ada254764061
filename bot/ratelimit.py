"""Telegram's flood limits kept on our side: per chat, per group, overall; per-chat pauses.

Telegram allows about 30 messages a second overall, one a second per chat and 20 a minute
per group (answering 429 `retry_after` beyond). PTB's `AIORateLimiter` has no per-chat limit
and halts *every* request on a 429. `TelegramRateLimiter` throttles only what Telegram counts
(``send*`` except ``sendChatAction``, ``edit*``, ``copy*``/``forward*`` messages, ``stopPoll``);
keeps each chat in order (one message in flight per chat, first come first served) at the chat
rate, plus the per-minute budget in groups (negative or ``@name`` ids; an album counts each
item, as Telegram does); shares the overall budget first come first served, counting a message
until its answer arrives so network delay never packs two into Telegram's window; and on a 429
pauses only that chat and retries — unless three chats got one within a second, meaning the
overall limit was hit: then everyone waits.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Send = Callable[[], Awaitable[Result]]
Sleep = Callable[[float], Awaitable[None]]
ChatKey = int | str

_PREFIXES = ("send", "edit", "copyMessage", "forwardMessage", "stopPoll")
_UNLIMITED = frozenset({"sendChatAction"})
_PRUNE_AT = 1024


def is_limited(endpoint: str) -> bool:
    """Whether Telegram counts `endpoint` against the message limits."""
    return endpoint.startswith(_PREFIXES) and endpoint not in _UNLIMITED


def retry_seconds(exc: RetryAfter) -> float:
    """The wait a 429 asks for, in seconds (whatever PTB's `retry_after` type setting)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def chat_key(data: dict[str, Any]) -> ChatKey | None:
    """The chat a request goes to (numeric strings as ints), or None (e.g. inline edits)."""
    chat = data.get("chat_id")
    if isinstance(chat, str) and chat.lstrip("-").isdigit():
        return int(chat)
    return chat if isinstance(chat, int | str) else None


@dataclass(slots=True)
class Slot:
    """One sent message: counted from its send time, then from when its answer arrived."""

    at: float
    pending: bool = True


class Window:
    """At most `limit` messages in any `span` seconds (a sliding log, like Telegram's)."""

    def __init__(self, limit: int, span: float) -> None:
        self.limit, self.span = max(1, limit), span
        self._slots: list[tuple[Slot, int]] = []

    def delay(self, now: float) -> float:
        """Seconds until one more message fits (unanswered ones count as sent `now`)."""
        self._slots = [(s, n) for s, n in self._slots if s.pending or s.at > now - self.span]
        excess = sum(n for _, n in self._slots) + 1 - self.limit
        if excess <= 0:
            return 0.0
        times = sorted(now if s.pending else s.at for s, n in self._slots for _ in range(n))
        return times[excess - 1] + self.span - now

    def add(self, slot: Slot, items: int = 1) -> None:
        """Count a message of `items` items (an album counts each)."""
        self._slots.append((slot, items))


class Pacer:
    """Waits until windows have room and a pause is over; setting `event` wakes it early."""

    def __init__(self, clock: Callable[[], float], sleep: Sleep) -> None:
        self._clock, self._sleep = clock, sleep
        self.paused_until = 0.0
        self.event = asyncio.Event()

    def pause(self, until: float) -> None:
        """Send nothing before `until`."""
        self.paused_until = max(self.paused_until, until)

    async def wait_for(self, windows: Iterable[Window]) -> None:
        """Return once every window has room (and the pause is over)."""
        while True:
            now = self._clock()
            wait = max([self.paused_until - now, *(w.delay(now) for w in windows)])
            if wait <= 0:
                return
            self.event.clear()
            sleeper = asyncio.ensure_future(self._sleep(wait))
            waker = asyncio.ensure_future(self.event.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleeper.cancel()
                waker.cancel()


@dataclass
class _Chat:
    """One chat's queue (a FIFO lock), windows and pause (key None: a one-off request)."""

    key: ChatKey | None
    windows: list[Window]
    pacer: Pacer
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def idle(self, now: float) -> bool:
        busy = self.lock.locked() or self.pacer.paused_until > now
        return not busy and all(w.delay(now) == 0 for w in self.windows)


class TelegramRateLimiter(BaseRateLimiter[int]):
    """Per-chat, per-group and overall throttling with per-chat 429 pauses (module doc).

    A limit of 0 turns it off; `rate_limit_args` on a call overrides `max_retries`; `clock`
    and `sleep` are injectable so tests need not wait.
    """

    def __init__(
        self,
        *,
        overall_per_second: int = 30,
        chat_per_second: float = 1.0,
        chat_burst: int = 1,
        group_per_minute: int = 20,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._clock, self._sleep = clock, sleep
        self._chat_span = chat_burst / chat_per_second if chat_per_second > 0 else 0.0
        self._chat_burst = chat_burst
        self._group_limit = group_per_minute
        self._max_retries = max_retries
        self._overall = [Window(overall_per_second, 1.0)] if overall_per_second > 0 else []
        self._global = Pacer(clock, sleep)
        self._global_lock = asyncio.Lock()
        self._chats: dict[ChatKey, _Chat] = {}
        self._next_prune = 0.0
        self._recent_429: dict[ChatKey, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Forget every chat's state."""
        self._chats.clear()
        self._recent_429.clear()

    @property
    def chats_tracked(self) -> int:
        """How many chats the limiter holds state for (idle ones go once there are 1,024)."""
        return len(self._chats)

    def _chat(self, key: ChatKey | None, limited: bool = True) -> _Chat:
        if key is None or not limited:  # one-off: no chat windows, a pause of its own
            return _Chat(None, [], Pacer(self._clock, self._sleep))
        chat = self._chats.get(key)
        if chat is None:
            now = self._clock()
            if len(self._chats) >= _PRUNE_AT and now >= self._next_prune:  # once a second
                for idle in [k for k, c in self._chats.items() if c.idle(now)]:
                    del self._chats[idle]
                self._next_prune = now + 1.0
            windows = [Window(self._chat_burst, self._chat_span)] if self._chat_span else []
            if self._group_limit > 0 and (isinstance(key, str) or key < 0):  # groups, channels
                windows.append(Window(self._group_limit, 60.0))
            chat = self._chats[key] = _Chat(key, windows, Pacer(self._clock, self._sleep))
        return chat

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Send now, or once the limits allow; retry 429s pausing only the chat concerned."""
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        call = partial(callback, *args, **kwargs)
        chat = self._chat(chat_key(data), is_limited(endpoint))
        if not is_limited(endpoint):
            return await self._retrying(retries, chat, call)
        items = max(1, len(data.get("media") or ())) if endpoint == "sendMediaGroup" else 1
        async with chat.lock:  # one message in flight per chat, in arrival order
            return await self._retrying(retries, chat, partial(self._send, chat, items, call))

    async def _send(self, chat: _Chat, items: int, call: Send) -> Result:
        await chat.pacer.wait_for(chat.windows)
        async with self._global_lock:  # the overall budget, first come first served
            await self._global.wait_for(self._overall)
            slot = Slot(self._clock())
            for window in (*chat.windows, *self._overall):
                window.add(slot, items)
        try:
            return await call()
        finally:
            slot.at, slot.pending = max(slot.at, self._clock()), False
            self._global.event.set()  # an answer arrived: the overall wait may be shorter

    async def _retrying(self, retries: int, chat: _Chat, send: Send) -> Result:
        attempt = 0
        while True:
            await chat.pacer.wait_for(())  # a pause after a 429
            try:
                return await send()
            except RetryAfter as exc:
                if attempt >= retries:
                    log.warning("flood limit still hit after %d retries", retries)
                    raise
                attempt += 1
                seconds = retry_seconds(exc)
                log.info("flood limit hit; retrying in %.1f s", seconds)
                chat.pacer.pause(self._clock() + seconds)
                if chat.key is not None and self._overall_flooded(chat.key):
                    self._global.pause(chat.pacer.paused_until)

    def _overall_flooded(self, key: ChatKey) -> bool:
        """Note a 429 in chat `key`; True when three or more chats got one within a second."""
        now = self._clock()
        self._recent_429[key] = now
        for old in [k for k, at in self._recent_429.items() if at < now - 1.0]:
            del self._recent_429[old]
        return len(self._recent_429) >= 3
