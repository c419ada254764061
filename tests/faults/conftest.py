"""Fixtures for the fault tests: emulators in the test process; the bot as a subprocess
(`spawn`) or, where no process boundary is needed, in the test's event loop (`inproc`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.e2e.env import Env, make_settings
from tests.faults.harness import BotProcess

MakeBot = Callable[..., BotProcess]
MakeEnv = Callable[..., Awaitable[Env]]


@pytest.fixture
async def spawn(
    rh: RunningHubEmulator, tg: TelegramEmulator, tmp_path: Path
) -> AsyncIterator[MakeBot]:
    """A factory of bot subprocesses (settings as keyword arguments, `volume=True` for a small
    tmpfs ledger); all stopped at the end."""
    made: list[BotProcess] = []

    def make(*, volume: bool = False, **settings: object) -> BotProcess:
        disk = tmp_path / "volume" if volume else None
        process = BotProcess(tg, rh, tmp_path, volume=disk, **settings)
        made.append(process)
        return process

    yield make
    for process in made:
        await process.stop(within=5.0)


@pytest.fixture
async def inproc(
    rh: RunningHubEmulator, tg: TelegramEmulator, tmp_path: Path
) -> AsyncIterator[MakeEnv]:
    """Start the bot in the test's loop with extra settings; its key is a SHARED one."""
    started: list[Env] = []

    async def make(**extra: object) -> Env:
        settings = make_settings(tg, rh, tmp_path / "bot.sqlite3", **extra)
        env = Env(tg=tg, rh=rh, settings=settings, key=rh.register_key(api_type="SHARED"))
        await env.start()
        started.append(env)
        return env

    yield make
    for env in started:
        if env.app is not None:
            await env.stop()
