"""TelegramRateLimiter against the sandbox's model of Telegram's flood limits, in virtual time.

The harness (`tests.bot.flood_harness`) moves a virtual clock instead of sleeping; its server
answers 429 exactly where the fake Telegram server would. The last test runs in real time
against the fake Telegram server over HTTP.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.ratelimit import TelegramRateLimiter, chat_key, is_limited, retry_seconds
from bot.sandbox.telegram_emulator import FloodLimits, TelegramEmulator
from tests.bot.flood_harness import burst, send, setup, times

GROUP = -100200


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
    await burst(vt, limiter, server, "sendPhoto", list(range(1, 91)))
    sent = times(server)
    assert len(sent) == 90
    assert server.flood.rejections == 0
    assert 2.0 <= sent[-1] <= 2.3
    assert max(sum(1 for t in sent if s <= t < s + 1.0) for s in sent) == 30


async def test_a_group_gets_twenty_messages_a_minute() -> None:
    """The 21st message to a group waits until the first one is a minute old."""
    vt, server, limiter = setup()
    await burst(vt, limiter, server, "sendMessage", [GROUP] * 21)
    sent = times(server, GROUP)
    assert sent[19] < 21
    assert sent[20] - sent[0] >= 60.0
    assert server.flood.rejections == 0


async def test_an_album_counts_each_item_in_the_group_budget() -> None:
    """After a 10-photo album, a group has 10 messages left this minute."""
    vt, server, limiter = setup()
    await vt.run(send(limiter, server, "sendMediaGroup", chat_id=GROUP, media=list(range(10))))
    await burst(vt, limiter, server, "sendMessage", [GROUP] * 11)
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

    async def late() -> None:
        await vt.sleep(0.5)
        await send(limiter, server, "sendMessage", chat_id=4, text="late")

    await vt.run(asyncio.gather(*jobs, late()))
    assert {text: at for at, _, _, text in server.accepted}["late"] >= 4.0


async def test_a_429_on_another_method_is_waited_out_alone() -> None:
    """answerCallbackQuery refused for 3 s is retried after 3 s; messages meanwhile go on."""
    vt, server, limiter = setup()
    server.refuse["cb"] = 3
    query = send(limiter, server, "answerCallbackQuery", callback_query_id="q", text="cb")
    message = send(limiter, server, "sendMessage", chat_id=1, text="m")
    await vt.run(asyncio.gather(query, message))
    accepted = {text: at for at, _, _, text in server.accepted}
    assert accepted["cb"] >= 3.05
    assert accepted["m"] == 0.05


async def test_gives_up_after_max_retries() -> None:
    """A chat refused every time raises RetryAfter after 1 + max_retries attempts."""
    vt, _, limiter = setup(max_retries=2)
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
    await burst(vt, limiter, server, "sendMessage", [-c for c in range(1, 101)])
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
    await burst(vt, limiter, server, "sendMessage", list(range(1, 1101)))
    vt.now += 5
    await vt.run(send(limiter, server, "sendMessage", chat_id=5000))
    assert limiter.chats_tracked == 1
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


async def test_real_time_through_ptb_against_the_fake_telegram_server() -> None:
    """As PTB's rate limiter, over HTTP: 3 messages in each of 2 chats, in order, ~2 s, no 429."""
    async with TelegramEmulator(flood=FloodLimits()) as emu:
        emu.private_chat(1)
        emu.private_chat(2)
        limiter, started = TelegramRateLimiter(), time.monotonic()
        bot = ExtBot(
            emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url, rate_limiter=limiter
        )
        async with bot:
            await asyncio.gather(
                *(bot.send_message(chat, f"{chat}-{i}") for i in range(3) for chat in (1, 2))
            )
        elapsed = time.monotonic() - started
        assert [m["text"] for m in emu.bot_messages(1)] == ["1-0", "1-1", "1-2"]
        assert [m["text"] for m in emu.bot_messages(2)] == ["2-0", "2-1", "2-2"]
        assert emu.flood_rejections == 0
        assert 2.0 <= elapsed < 3.5
