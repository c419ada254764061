"""Lost answers, and the fake Telegram server running in its own thread (sandbox style)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram.error import NetworkError, TimedOut

from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.sandbox.tg_fixtures import make_bot

USER = 42


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    """A started emulator with one private chat."""
    async with TelegramEmulator() as emulator:
        emulator.private_chat(USER)
        yield emulator


async def test_dropped_answer_after_processing_is_a_network_error(emu: TelegramEmulator) -> None:
    """The message is sent, but the connection drops before the answer: NetworkError."""
    emu.fail_next_after_processing("sendMessage")
    async with make_bot(emu) as bot:
        with pytest.raises(NetworkError):
            await bot.send_message(USER, "sent anyway")
        assert (await bot.send_message(USER, "next")).message_id == 2
    assert [m["text"] for m in emu.bot_messages(USER)] == ["sent anyway", "next"]


async def test_hanging_answer_after_processing_is_timed_out(emu: TelegramEmulator) -> None:
    """An answer slower than the client's read timeout is TimedOut, yet the send happened."""
    emu.fail_next_after_processing("sendPhoto", hang_seconds=2.0)
    async with make_bot(emu, read_timeout=0.2) as bot:
        with pytest.raises(TimedOut):
            await bot.send_photo(USER, b"\xff\xd8jpeg", filename="a.jpg")
    assert "photo" in emu.bot_messages(USER)[0]


@pytest.fixture
def threaded() -> Iterator[TelegramEmulator]:
    """An emulator serving from a background thread with its own event loop."""
    emulator = TelegramEmulator()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve() -> None:
        loop.run_until_complete(emulator.start())
        started.set()
        loop.run_forever()
        loop.run_until_complete(emulator.stop())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(5)
    yield emulator
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    assert not thread.is_alive()


async def test_users_can_be_driven_from_another_thread(threaded: TelegramEmulator) -> None:
    """A user writing from the test's thread wakes a long poll served by the other thread."""
    async with make_bot(threaded) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=10))
        await threaded.wait_for("getMe")
        await asyncio.sleep(0.05)
        threaded.send_message(USER, "/start")
        updates = await asyncio.wait_for(poll, 2)
        assert updates[0].message is not None
        await bot.send_message(USER, f"got {updates[0].message.text}")
        (reply,) = await threaded.wait_for("sendMessage")
        assert reply.result["text"] == "got /start"
        assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
