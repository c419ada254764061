"""The bot's process: seed the ledger, run the real Application until told to stop, measure.

CPU time and peak RSS are this process's own (`resource.getrusage`); the emulators live in
another process. Every interval in Settings is divided by the time factor.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import logging
import multiprocessing
import os
import resource
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from bench.emulators import Ready
from bench.seed import Plan, seed_ledger
from bot.app import Runtime, build_application, running
from bot.config import Settings
from bot.context import BotApplication
from bot.ratelimit import TelegramRateLimiter
from storage.database import Database


@dataclass(frozen=True)
class BotSpec:
    """One bot run: the load, the time factor, the poll cap and the Telegram limits."""

    ready: Ready
    plan: Plan
    db_path: Path
    factor: float
    poll_max: float = 30.0  # virtual seconds (the product default)
    telegram_limits: bool = False  # False: no client-side throttling (scenario 1)
    webhook_port: int | None = None  # RunningHub webhooks to this local port
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class BotResult:
    """What the bot's process measured."""

    cpu_seconds: float
    peak_rss_mb: float
    wall_seconds: float
    remote_ids: dict[int, str]  # ledger task id -> RunningHub task id
    states: dict[str, int]


def settings_for(spec: BotSpec, master_key: str) -> Settings:
    """Settings pointing at the emulators with every interval divided by the factor."""
    f, ready = spec.factor, spec.ready
    values: dict[str, Any] = {
        "_env_file": None,
        "telegram_bot_token": ready.token,
        "telegram_api_base_url": ready.tg_base_url,
        "telegram_api_base_file_url": ready.tg_file_url,
        "runninghub_base_url": ready.rh_url,
        "bot_master_key": master_key,
        "database_path": spec.db_path,
        "log_level": "WARNING",
        "poll_initial_interval": 2.0 / f,
        "poll_max_interval": spec.poll_max / f,
        "task_deadline_seconds": 3600.0 / f,
        "capacity_retry_initial": 15.0 / f,
        "capacity_retry_max": 120.0 / f,
        "status_edit_interval": 3.0 / f,
        "group_status_edit_interval": 15.0 / f,
        "max_active_tasks_per_user": spec.plan.per_user,
    }
    if spec.webhook_port is not None:
        values["runninghub_webhook_url"] = f"http://127.0.0.1:{spec.webhook_port}/runninghub"
        values["runninghub_webhook_listen"] = "127.0.0.1"
        values["runninghub_webhook_port"] = spec.webhook_port
    values.update(dict(spec.extra))
    return Settings(**values)


def build_bot(settings: Settings, factor: float, limiter: TelegramRateLimiter) -> BotApplication:
    """The real Application and Runtime, with the given Telegram rate limiter."""
    names = {f.name for f in dataclasses.fields(Runtime)}
    extra: dict[str, Any] = {"rate_limiter": limiter} if "rate_limiter" in names else {}
    runtime = Runtime(settings, idle_wait=1.0 / factor, **extra)
    app = build_application(settings, runtime)
    if not extra:  # until bot.app takes the limiter from the Runtime (see bench/README.md)
        app.bot._rate_limiter = limiter
    return app


def limiter_for(spec: BotSpec) -> TelegramRateLimiter:
    """Telegram's limits (scenario 3), or none at all (scenarios 1 and 2)."""
    if spec.telegram_limits:
        return TelegramRateLimiter(max_retries=5)
    return TelegramRateLimiter(overall_per_second=0, chat_per_second=0, group_per_minute=0)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _run(spec: BotSpec, stop: Event) -> BotResult:
    master_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    await seed_ledger(spec.db_path, master_key, spec.ready.key, spec.plan)
    settings = settings_for(spec, master_key)
    app = build_bot(settings, spec.factor, limiter_for(spec))
    cpu, wall = _cpu(), time.monotonic()
    async with running(app, settings):
        while not stop.is_set():
            await asyncio.sleep(0.1)
        cpu, wall = _cpu() - cpu, time.monotonic() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    db = await Database.open(spec.db_path)
    try:
        rows = await db.fetchall("SELECT task_id, remote_id, state FROM tasks", ())
    finally:
        await db.close()
    states: dict[str, int] = {}
    for row in rows:
        states[row["state"]] = states.get(row["state"], 0) + 1
    remote = {int(r["task_id"]): str(r["remote_id"]) for r in rows if r["remote_id"]}
    return BotResult(cpu, peak, wall, remote, states)


def _main(spec: BotSpec, stop: Event, conn: Connection) -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logging.basicConfig(level=logging.WARNING)
    conn.send(asyncio.run(_run(spec, stop)))


class BotProcess:
    """Handle on the bot's process: `stop()` ends the run and returns its result."""

    def __init__(self, spec: BotSpec) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_main, args=(spec, self._stop, child), name="bot")
        self._process.start()
        child.close()

    def alive(self) -> bool:
        """Whether the bot is still running."""
        return self._process.is_alive()

    def stop(self) -> BotResult:
        """Stop the bot and return its measurements."""
        self._stop.set()
        result = self._conn.recv()
        self._process.join(30)
        assert isinstance(result, BotResult)
        return result
