"""Fixtures for the fault tests: emulators in the test process, the bot as a subprocess."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.faults.harness import BotProcess

MakeBot = Callable[..., BotProcess]


@pytest.fixture
async def spawn(
    rh: RunningHubEmulator, tg: TelegramEmulator, tmp_path: Path
) -> AsyncIterator[MakeBot]:
    """A factory of bot subprocesses (settings as keyword arguments); all stopped at the end."""
    made: list[BotProcess] = []

    def make(**settings: object) -> BotProcess:
        process = BotProcess(tg, rh, tmp_path, **settings)
        made.append(process)
        return process

    yield make
    for process in made:
        await process.stop(timeout=5.0)
