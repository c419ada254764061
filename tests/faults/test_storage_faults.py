"""The ledger unavailable for a while — locked by another connection, or the disk full.

The bot keeps running, says so in its log, answers users (the "database is busy" message or a
normal answer), and once the condition lifts every task completes and is delivered once.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.faults import volume
from tests.faults.chat import (
    BUSY_TEXT,
    SDXL,
    answers,
    card_in,
    photos,
    say,
    setkey,
    texts,
    wait_until,
)
from tests.faults.conftest import MakeBot, MakeEnv
from tests.faults.harness import read_ledger

USER = 5001
LOCK_SECONDS = 6.5  # longer than the bot's 5 s busy timeout
QUERY = "/openapi/v2/query"
DELIVERED = "SELECT count(*) AS n FROM tasks WHERE delivered_at IS NOT NULL"
LEDGER_DOWN = "ledger unavailable"


def _lock(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


def _release(conn: sqlite3.Connection) -> None:
    with contextlib.closing(conn):
        conn.execute("ROLLBACK")


async def test_locked_ledger_is_waited_out_and_users_are_answered(
    inproc: MakeEnv, rh: RunningHubEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Another connection holds BEGIN EXCLUSIVE past the busy timeout: logged, answered, recovered."""
    rh.config.run_seconds = 1.0
    env = await inproc()
    await setkey(env.tg, USER, env.key)
    runs = [say(env.tg, USER, f"/run {SDXL} 3.seed={n}") for n in range(3)]
    await wait_until(lambda: all(card_in(env.tg, USER, m, "RUNNING") for m in runs))
    db = env.settings.database_path
    holder = await asyncio.to_thread(_lock, db)
    try:
        polls = rh.request_count(QUERY)
        await wait_until(lambda: rh.request_count(QUERY) > polls, what="a poll to record")
        asked = [say(env.tg, USER, text) for text in ("/status 1", f"/run {SDXL} 3.seed=9")]
        await asyncio.sleep(LOCK_SECONDS)  # the outage itself: the lock is held this long
    finally:
        await asyncio.to_thread(_release, holder)
    await wait_until(lambda: read_ledger(db, DELIVERED)[0]["n"] >= 3, within=20, what="delivered")
    assert LEDGER_DOWN in caplog.text
    assert [photos(env.tg, USER, m) for m in runs] == [1, 1, 1]
    await wait_until(lambda: all(answers(env.tg, USER, m) for m in asked), what="both answered")
    assert "error handling" not in caplog.text


async def test_full_disk_is_survived_and_nothing_is_lost(
    spawn: MakeBot, tg: TelegramEmulator, rh: RunningHubEmulator
) -> None:
    """The ledger's filesystem fills up: SQLITE_FULL is logged, users answered; freed, all delivered."""
    rh.config.run_seconds = 1.5
    bot = spawn(volume=True)
    await bot.start()
    await setkey(tg, USER, rh.register_key(api_type="SHARED"))
    runs = [say(tg, USER, f"/run {SDXL} 3.seed={n}") for n in range(2)]
    await wait_until(lambda: all(card_in(tg, USER, m, "RUNNING") for m in runs))
    assert bot.volume is not None
    mark = len(bot.lines)
    assert volume.fill(bot.pid, bot.volume) > 0
    try:
        await bot.wait_log("database or disk is full", since=mark, within=10)
        asked = say(tg, USER, f"/run {SDXL} 3.seed=9")
        await wait_until(lambda: any(BUSY_TEXT in t for t in texts(tg, USER, asked)), within=15)
        assert bot.running
        assert LEDGER_DOWN in bot.log_text(mark)
        assert sum(photos(tg, USER, m) for m in runs) == 0
    finally:
        volume.free(bot.pid, bot.volume)
    await wait_until(
        lambda: all(card_in(tg, USER, m, "SUCCESS") and photos(tg, USER, m) for m in runs),
        within=20,
        what="both tasks delivered after the disk was freed",
    )
    assert [photos(tg, USER, m) for m in runs] == [1, 1]
    assert bot.running
