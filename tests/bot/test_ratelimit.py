"""TelegramRateLimiter against the sandbox's model of Telegram's flood limits, in virtual time.

`VirtualTime` gives the limiter a clock and a sleep that never wait: when every coroutine is
blocked, the clock jumps to the earliest sleeper. The "server" is the fake Telegram's
`FloodControl` on the same clock, so a 429 here is exactly what the fake server would answer.
One test at the end runs in real time against the fake Telegram server over HTTP.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from bot.ratelimit import TelegramRateLimiter, chat_key, is_limited, retry_seconds
from bot.sandbox.telegram_emulator import FloodLimits, TelegramEmulator
from bot.sandbox.tg_flood import FloodControl

T = TypeVar("T")
GROUP = -100200


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

    async def run(self, main: Coroutine[Any, Any, T]) -> T:
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


def times(server: Server, chat: int | str | None = None) -> list[float]:
    return [round(at, 2) for at, _, c, _ in server.accepted if chat is None or c == chat]


async def test_a_chat_gets_one_message_a_second_in_order() -> None:
    """Five messages to one chat go one second apart, in the order they were sent, no 429."""
    vt, server, limiter = setup()
    texts = [f"m{i}" for i in range(5)]
    await vt.run(
        asyncio.gather(*(send(limiter, server, "sendMessage", chat_id=1, text=t) for t in texts))
    )
    assert [text for *_, text in server.accepted] == texts
    gaps = [b - a for a, b in itertools.pairwise(times(server))]
    assert all(1.0 <= gap <= 1.06 for gap in gaps)
    assert server.flood.rejections == 0


async def test_overall_budget_is_thirty_a_second_shared_by_chats() -> None:
    """Ninety chats with one message each take three seconds, never over 30 in any second."""
    vt, server, limiter = setup()
    await vt.run(
        asyncio.gather(*(send(limiter, server, "sendPhoto", chat_id=c) for c in range(1, 91)))
    )
    sent = times(server)
    assert len(sent) == 90
    assert server.flood.rejections == 0
    assert 2.0 <= sent[-1] <= 2.3
    assert max(sum(1 for t in sent if s <= t < s + 1.0) for s in sent) == 30


async def test_a_group_gets_twenty_messages_a_minute() -> None:
    """The 21st message to a group waits until the first one is a minute old."""
    vt, server, limiter = setup()
    await vt.run(
        asyncio.gather(*(send(limiter, server, "sendMessage", chat_id=GROUP) for _ in range(21)))
    )
    sent = times(server, GROUP)
    assert sent[19] < 21
    assert sent[20] - sent[0] >= 60.0
    assert server.flood.rejections == 0


async def test_an_album_counts_each_item_in_the_group_budget() -> None:
    """After a 10-photo album, a group has 10 messages left this minute."""
    vt, server, limiter = setup()
    await vt.run(send(limiter, server, "sendMediaGroup", chat_id=GROUP, media=list(range(10))))
    await vt.run(
        asyncio.gather(*(send(limiter, server, "sendMessage", chat_id=GROUP) for _ in range(11)))
    )
    sent = times(server, GROUP)
    assert sent[10] < 20
    assert sent[11] - sent[0] >= 60.0
    assert server.flood.rejections == 0


async def test_other_methods_are_not_held_back() -> None:
    """getFile and answerCallbackQuery go at once while a chat's messages are queued."""
    vt, server, limiter = setup()
    queued = [send(limiter, server, "sendMessage", chat_id=1) for _ in range(3)]
    free = [
        send(limiter, server, m, chat_id=1)
        for m in ("getFile", "answerCallbackQuery", "sendChatAction")
    ]
    await vt.run(asyncio.gather(*queued, *free))
    at = {endpoint: t for t, endpoint, _, _ in server.accepted if endpoint != "sendMessage"}
    assert set(at.values()) == {0.05}


async def test_a_429_pauses_only_that_chat_and_the_message_is_retried() -> None:
    """retry_after=5 in chat 1 delays chat 1 (order kept) while chat 2 carries on."""
    vt, server, limiter = setup()
    server.refuse["a1"] = 5
    jobs = [send(limiter, server, "sendMessage", chat_id=1, text="a1")]
    jobs.append(send(limiter, server, "sendMessage", chat_id=1, text="a2"))
    jobs += [send(limiter, server, "sendMessage", chat_id=2, text=f"b{i}") for i in range(3)]
    await vt.run(asyncio.gather(*jobs))
    order = {text: at for at, _, _, text in server.accepted}
    assert order["a1"] >= 5.05
    assert order["a2"] >= order["a1"] + 1.0
    assert order["b2"] < 2.2


async def test_429s_in_three_chats_pause_everyone() -> None:
    """When three chats are refused within a second, a fourth chat waits out the pause too."""
    vt, server, limiter = setup()
    server.refuse.update({"x1": 4, "x2": 4, "x3": 4})
    jobs = [send(limiter, server, "sendMessage", chat_id=i, text=f"x{i}") for i in (1, 2, 3)]
    await vt.run(asyncio.gather(*jobs, vt.sleep(0.5)))
    await vt.run(send(limiter, server, "sendMessage", chat_id=4, text="late"))
    assert {text: at for at, _, _, text in server.accepted}["late"] >= 4.0


async def test_gives_up_after_max_retries() -> None:
    """A chat refused every time raises RetryAfter after 1 + max_retries attempts."""
    vt, server, limiter = setup(max_retries=2)
    server.refuse.update({"x": 1})
    attempts = 0

    async def always_flooded(*_: Any) -> bool:
        nonlocal attempts
        attempts += 1
        raise RetryAfter(1)

    with pytest.raises(RetryAfter):
        await vt.run(
            limiter.process_request(always_flooded, (), {}, "sendMessage", {"chat_id": 1}, None)
        )
    assert attempts == 3
    attempts = 0
    with pytest.raises(RetryAfter):
        await vt.run(limiter.process_request(always_flooded, (), {}, "getFile", {}, 0))
    assert attempts == 1


async def test_zero_limits_mean_no_throttling() -> None:
    """With every limit at 0, 100 messages to 100 chats all go at once."""
    vt, server, limiter = setup(
        limits=False, overall_per_second=0, chat_per_second=0, group_per_minute=0
    )
    await vt.run(
        asyncio.gather(*(send(limiter, server, "sendMessage", chat_id=-c) for c in range(1, 101)))
    )
    assert set(times(server)) == {0.05}


async def test_inline_edits_use_the_overall_budget_and_retry() -> None:
    """An edit without chat_id is throttled overall only, and retried after its 429."""
    vt, server, limiter = setup()
    server.refuse["inline"] = 2
    await vt.run(send(limiter, server, "editMessageText", inline_message_id="x", text="inline"))
    assert times(server) == [2.1]


async def test_idle_chats_are_forgotten() -> None:
    """State for chats that have gone quiet is dropped once more than 1,024 are tracked."""
    vt, server, limiter = setup()
    await vt.run(
        asyncio.gather(*(send(limiter, server, "sendMessage", chat_id=c) for c in range(1, 1101)))
    )
    vt.now += 5
    await vt.run(send(limiter, server, "sendMessage", chat_id=5000))
    assert limiter.chats_tracked < 100
    await limiter.shutdown()
    assert limiter.chats_tracked == 0


def test_what_counts_as_a_message_and_which_chat() -> None:
    """Sending/editing counts (not chat actions or queries); chat ids are normalised."""
    assert all(map(is_limited, ["sendMessage", "editMessageText", "copyMessage", "stopPoll"]))
    assert not any(map(is_limited, ["sendChatAction", "getUpdates", "answerInlineQuery"]))
    assert chat_key({"chat_id": "-100"}) == -100
    assert chat_key({"chat_id": "@channel"}) == "@channel"
    assert chat_key({"inline_message_id": "x"}) is None
    assert retry_seconds(RetryAfter(timedelta(seconds=2.5))) == 2.5
    assert retry_seconds(RetryAfter(3)) == 3.0


async def test_real_time_against_the_fake_telegram_server() -> None:
    """Over HTTP with real flood limits: two chats, three messages each, about 2 s, no 429."""
    async with TelegramEmulator(flood=FloodLimits()) as emu:
        emu.private_chat(1)
        emu.private_chat(2)
        bot = Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url)
        async with bot:
            limiter = TelegramRateLimiter()
            started = time.monotonic()

            async def three(chat: int) -> None:
                for i in range(3):
                    data = {"chat_id": chat, "text": f"{chat}-{i}"}
                    await limiter.process_request(
                        bot.send_message, (chat, f"{chat}-{i}"), {}, "sendMessage", data, None
                    )

            await asyncio.gather(three(1), three(2))
            elapsed = time.monotonic() - started
        assert [m["text"] for m in emu.bot_messages(1)] == ["1-0", "1-1", "1-2"]
        assert emu.flood_rejections == 0
        assert 2.0 <= elapsed < 3.5
