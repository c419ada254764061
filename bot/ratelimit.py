"""Telegram's flood limits on our side: per chat, per group and overall, with per-chat pauses.

Telegram allows about 30 messages a second overall, one a second in a chat and 20 a minute in
a group, and answers 429 `retry_after` beyond. PTB's `AIORateLimiter` has no per-chat limit
and stops *every* request on a 429. `TelegramRateLimiter` instead:

* limits only what Telegram counts: sending, editing, copying and forwarding messages
  (``send*`` but not ``sendChatAction``, ``edit*``, ``copyMessage(s)``, ``forwardMessage(s)``,
  ``stopPoll``); getUpdates, getFile, answerCallbackQuery, answerInlineQuery… go straight on;
* keeps each chat's messages in order (one in flight per chat, first come first served),
  spaced at the chat's rate; groups (negative or ``@name`` ids) also get the per-minute
  budget, where an album counts one message per item, as Telegram counts it;
* shares the overall budget first come first served among the chats ready to send;
* counts a message from when it is sent until Telegram's answer arrives, so network delay
  never squeezes two messages into one of Telegram's windows;
* on a 429 pauses only that chat for `retry_after` and retries (up to `max_retries` times);
  429s in three chats within a second mean the overall limit was hit, and then all wait.

Time is injectable (`clock`, `sleep`) so tests run without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from datetime import timedelta
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
_PRUNE_ABOVE = 1024


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


def is_group(chat: ChatKey) -> bool:
    """Groups, supergroups and channels: negative ids and ``@username``s."""
    return isinstance(chat, str) or chat < 0


class Slot:
    """One sent message: counted from its send time, then from when its answer arrived."""

    __slots__ = ("at", "pending")

    def __init__(self, at: float) -> None:
        self.at = at
        self.pending = True

    def done(self, at: float) -> None:
        """The answer arrived at `at`."""
        self.at, self.pending = max(self.at, at), False


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
    """Waits until windows have room and a pause is over; woken early by `changed()`."""

    def __init__(self, clock: Callable[[], float], sleep: Sleep) -> None:
        self._clock, self._sleep = clock, sleep
        self.paused_until = 0.0
        self._event = asyncio.Event()

    def pause(self, until: float) -> None:
        """Send nothing before `until`."""
        self.paused_until = max(self.paused_until, until)

    def changed(self) -> None:
        """An answer arrived: recompute the wait."""
        self._event.set()

    async def wait_for(self, windows: Iterable[Window]) -> None:
        """Return once every window has room (and the pause is over)."""
        while True:
            now = self._clock()
            wait = max([self.paused_until - now, *(w.delay(now) for w in windows)])
            if wait <= 0:
                return
            self._event.clear()
            sleeper = asyncio.ensure_future(self._sleep(wait))
            waker = asyncio.ensure_future(self._event.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleeper.cancel()
                waker.cancel()


class _Chat:
    """One chat's queue (a FIFO lock), windows and pause."""

    def __init__(self, windows: list[Window], pacer: Pacer) -> None:
        self.lock = asyncio.Lock()
        self.windows = windows
        self.pacer = pacer

    def idle(self, now: float) -> bool:
        busy = self.lock.locked() or self.pacer.paused_until > now
        return not busy and all(w.delay(now) == 0 for w in self.windows)


class TelegramRateLimiter(BaseRateLimiter[int]):
    """Per-chat, per-group and overall throttling with per-chat 429 pauses (module doc).

    A limit of 0 turns that limit off. `rate_limit_args` on a call overrides `max_retries`.
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
        self._recent_429: dict[ChatKey, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Forget every chat's state."""
        self._chats.clear()
        self._recent_429.clear()

    def _chat(self, key: ChatKey) -> _Chat:
        chat = self._chats.get(key)
        if chat is None:
            if len(self._chats) >= _PRUNE_ABOVE:
                now = self._clock()
                for idle in [k for k, c in self._chats.items() if c.idle(now)]:
                    del self._chats[idle]
            windows = [Window(self._chat_burst, self._chat_span)] if self._chat_span else []
            if self._group_limit > 0 and is_group(key):
                windows.append(Window(self._group_limit, 60.0))
            chat = self._chats[key] = _Chat(windows, Pacer(self._clock, self._sleep))
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
        key = chat_key(data)
        if not is_limited(endpoint):
            return await self._retrying(retries, None, lambda: callback(*args, **kwargs))
        items = max(1, len(data.get("media") or ())) if endpoint == "sendMediaGroup" else 1
        chat = self._chat(key) if key is not None else None

        async def send() -> Result:
            return await self._send(chat, items, lambda: callback(*args, **kwargs))

        if chat is None:
            return await self._retrying(retries, None, send)
        async with chat.lock:  # one message in flight per chat, in arrival order
            return await self._retrying(retries, chat, send, key)

    async def _send(self, chat: _Chat | None, items: int, call: Send) -> Result:
        windows = chat.windows if chat is not None else []
        if chat is not None:
            await chat.pacer.wait_for(windows)
        async with self._global_lock:  # the overall budget, first come first served
            await self._global.wait_for(self._overall)
            slot = Slot(self._clock())
            for window in (*windows, *self._overall):
                window.add(slot, items)
        try:
            return await call()
        finally:
            slot.done(self._clock())
            self._global.changed()

    async def _retrying(
        self, retries: int, chat: _Chat | None, send: Send, key: ChatKey | None = None
    ) -> Result:
        for attempt in range(retries + 1):
            try:
                return await send()
            except RetryAfter as exc:
                if attempt == retries:
                    log.warning("flood limit still hit after %d retries", retries)
                    raise
                seconds = retry_seconds(exc)
                log.info("flood limit hit; retrying in %.1f s", seconds)
                if chat is None:
                    await self._sleep(seconds)
                    continue
                until = self._clock() + seconds
                chat.pacer.pause(until)
                if key is not None and self._overall_flooded(key):
                    self._global.pause(until)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _overall_flooded(self, key: ChatKey) -> bool:
        """Note a 429 in chat `key`; True when three or more chats got one within a second."""
        now = self._clock()
        self._recent_429[key] = now
        for old in [k for k, at in self._recent_429.items() if at < now - 1.0]:
            del self._recent_429[old]
        return len(self._recent_429) >= 3
