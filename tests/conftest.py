"""Shared fixtures: the whole bot running against the RunningHub and Telegram emulators.

`bot_env` starts both emulators on loopback, a real PTB Application pointed at them with
short poll intervals, and yields an `Env` to drive users and inspect what happened.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.logs import QUIET_LOGGERS
from bot.sandbox.runninghub_emulator import EmulatorConfig, RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.e2e.env import Env, make_settings

MASTER_KEY = "Jm1nNnB8Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2Q="


def pytest_configure(config: pytest.Config) -> None:
    """Opt in to PTB's timedelta retry_after so no deprecation warning becomes an error."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the fault matrix counted (`record_property`): e.g. photos posted twice."""
    measured = [
        report
        for report in terminalreporter.stats.get("passed", [])
        if report.when == "call" and report.user_properties
    ]
    if not measured:
        return
    terminalreporter.write_sep("-", "measured by the fault matrix")
    for report in measured:
        name = report.nodeid.rsplit("::", 1)[-1]
        for key, value in report.user_properties:
            terminalreporter.write_line(f"{name}: {key} = {value}")


@pytest.fixture
async def rh() -> AsyncIterator[RunningHubEmulator]:
    """A RunningHub emulator with sub-second queue and run times."""
    async with RunningHubEmulator(
        EmulatorConfig(queue_seconds=0.1, run_seconds=0.3, webhook_retry_delay=0.01)
    ) as emulator:
        yield emulator


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    """A fake Telegram Bot API server."""
    async with TelegramEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot_env(
    rh: RunningHubEmulator, tg: TelegramEmulator, tmp_path: Path
) -> AsyncIterator[Env]:
    """The bot running against both emulators, with one user who has a RunningHub key."""
    settings = make_settings(tg, rh, tmp_path / "bot.sqlite3")
    env = Env(tg=tg, rh=rh, settings=settings, key=rh.register_key())
    await env.start()
    try:
        yield env
    finally:
        await env.stop()


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo configure_logging's global changes (levels, handler filters) after the test."""
    root = logging.getLogger()
    level, filters = root.level, {h: list(h.filters) for h in root.handlers}
    yield
    root.setLevel(level)
    for handler in root.handlers:
        handler.filters = filters.get(handler, [])
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
