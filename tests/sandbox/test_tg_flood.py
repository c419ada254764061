"""Flood limits of the fake Telegram server, on an injected clock (no sleeping)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InputMediaPhoto, Message
from telegram.error import RetryAfter

from bot.sandbox.telegram_emulator import FloodLimits, TelegramEmulator
from tests.sandbox.tg_fixtures import ManualClock, make_bot, png

USER = 42
GROUP = -100


@pytest.fixture
def clock() -> ManualClock:
    """The emulator's clock, moved by the test."""
    return ManualClock()


@pytest.fixture
async def emu(clock: ManualClock) -> AsyncIterator[TelegramEmulator]:
    """An emulator enforcing Telegram's default limits."""
    async with TelegramEmulator(flood=FloodLimits(), clock=clock) as emulator:
        emulator.private_chat(USER)
        emulator.group_chat(GROUP, "Team")
        yield emulator


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    """An initialized PTB Bot talking to the emulator."""
    async with make_bot(emu) as client:
        yield client


async def retry_after(call: object) -> timedelta:
    """Await a Bot call that must fail with RetryAfter; return its delay."""
    with pytest.raises(RetryAfter) as caught:
        await call  # type: ignore[misc]
    assert isinstance(caught.value.retry_after, timedelta)
    return caught.value.retry_after


async def test_one_message_per_second_per_chat_and_edits_count(
    emu: TelegramEmulator, bot: Bot, clock: ManualClock
) -> None:
    """A second send or an edit within a second of the last one gets 429 retry_after=1."""
    sent = await bot.send_message(USER, "card")
    assert await retry_after(bot.send_message(USER, "again")) == timedelta(seconds=1)
    assert await retry_after(bot.edit_message_text("x", USER, sent.message_id)) == timedelta(
        seconds=1
    )
    await bot.send_chat_action(USER, "typing")
    clock.advance(1.0)
    edited = await bot.edit_message_text("x", USER, sent.message_id)
    assert isinstance(edited, Message)
    assert edited.text == "x"
    assert emu.flood_rejections == 2
    assert [c.status for c in emu.calls[1:]] == [200, 429, 429, 200, 200]


async def test_twenty_messages_per_minute_per_group(
    emu: TelegramEmulator, bot: Bot, clock: ManualClock
) -> None:
    """The 21st message within a minute waits until the oldest leaves the window."""
    for n in range(20):
        await bot.send_message(GROUP, f"m{n}")
        clock.advance(1.5)
    assert await retry_after(bot.send_message(GROUP, "late")) == timedelta(seconds=30)
    clock.advance(30)
    assert (await bot.send_message(GROUP, "late")).text == "late"


async def test_an_album_counts_as_all_its_messages(
    emu: TelegramEmulator, bot: Bot, clock: ManualClock
) -> None:
    """Two albums of 10 fill a group's minute; the next message is told to wait."""
    for _ in range(2):
        await bot.send_media_group(GROUP, [InputMediaPhoto(png())] * 10)
        clock.advance(2.0)
    assert await retry_after(bot.send_message(GROUP, "x")) == timedelta(seconds=56)


async def test_thirty_messages_per_second_overall(
    emu: TelegramEmulator, bot: Bot, clock: ManualClock
) -> None:
    """Across 31 chats at once the 31st send is rejected; a moment later it passes."""
    for user in range(1, 32):
        emu.private_chat(user)
    for user in range(1, 31):
        await bot.send_message(user, "hi")
    assert await retry_after(bot.send_message(31, "hi")) == timedelta(seconds=1)
    clock.advance(0.999)
    await retry_after(bot.send_message(31, "hi"))
    clock.advance(0.002)
    assert (await bot.send_message(31, "hi")).text == "hi"
    assert emu.flood_rejections == 2


async def test_no_limits_by_default() -> None:
    """Without FloodLimits, bursts to one chat all pass."""
    async with TelegramEmulator() as emu:
        emu.private_chat(USER)
        async with make_bot(emu) as bot:
            for n in range(5):
                await bot.send_message(USER, str(n))
        assert emu.flood_rejections == 0
