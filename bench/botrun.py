"""The bot's process: seed the ledger, run the real Application until told to stop, measure.

CPU time and peak RSS are this process's own (`resource.getrusage`); the emulators live in
another process. Every interval in Settings is divided by the time factor.
"""

from __future__ import annotations

import asyncio
import base64
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

from telegram.ext import AIORateLimiter

from bench.emulators import Ready
from bench.seed import Plan, seed_ledger
from bot.app import Runtime, build_application, running
from bot.config import Settings
from bot.context import BotApplication
from storage.database import Database


@dataclass(frozen=True)
class BotSpec:
    """One bot run: the load, the time factor, the poll cap and the Telegram limits."""

    ready: Ready
    plan: Plan
    db_path: Path
    factor: float
    poll_max: float = 30.0  # virtual seconds (the product default)
    limiter: str = "none"  # "none": TELEGRAM_FLOOD_LIMITS off; "telegram": on; "ptb": PTB's
    webhook_port: int | None = None  # RunningHub webhooks to this local port
    finished: tuple[tuple[str, str], ...] = ()  # seeded as done: (RunningHub id, result URL)


@dataclass(frozen=True)
class BotResult:
    """What the bot's process measured."""

    cpu_seconds: float
    peak_rss_mb: float
    wall_seconds: float
    remote_ids: dict[int, str]  # ledger task id -> RunningHub task id
    states: dict[str, int]
    undelivered: int
    errors_logged: int


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
        "telegram_flood_limits": spec.limiter != "none",
    }
    if spec.webhook_port is not None:
        values["runninghub_webhook_url"] = f"http://127.0.0.1:{spec.webhook_port}/runninghub"
        values["runninghub_webhook_listen"] = "127.0.0.1"
        values["runninghub_webhook_port"] = spec.webhook_port
        values["runninghub_webhook_poll_interval"] = 300.0 / f
    return Settings(**values)


def build_bot(settings: Settings, factor: float, limiter: str) -> BotApplication:
    """The real Application and Runtime; TELEGRAM_FLOOD_LIMITS picks the product's limiter.

    "ptb" swaps in PTB's own `AIORateLimiter` after building, for comparison only (a
    bench-side replacement of the product's choice, through PTB's private attribute).
    """
    app = build_application(settings, Runtime(settings, idle_wait=1.0 / factor))
    if limiter == "ptb":
        app.bot._rate_limiter = AIORateLimiter(max_retries=3)
    return app


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Counter(logging.Handler):
    """Counts the bot's ERROR records (the bench prints numbers, not tracebacks)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def _run(spec: BotSpec, stop: Event, errors: _Counter) -> BotResult:
    master_key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    await seed_ledger(spec.db_path, master_key, spec.ready.key, spec.plan, spec.finished)
    settings = settings_for(spec, master_key)
    app = build_bot(settings, spec.factor, spec.limiter)
    cpu, wall = _cpu(), time.monotonic()
    async with running(app, settings):
        await asyncio.to_thread(stop.wait)
        cpu, wall = _cpu() - cpu, time.monotonic() - wall
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    db = await Database.open(spec.db_path)
    try:
        rows = await db.fetchall("SELECT task_id, remote_id, state, delivered_at FROM tasks", ())
    finally:
        await db.close()
    states: dict[str, int] = {}
    for row in rows:
        states[row["state"]] = states.get(row["state"], 0) + 1
    remote = {int(r["task_id"]): str(r["remote_id"]) for r in rows if r["remote_id"]}
    undelivered = sum(1 for r in rows if r["delivered_at"] is None)
    return BotResult(cpu, peak, wall, remote, states, undelivered, errors.count)


def _main(spec: BotSpec, stop: Event, conn: Connection) -> None:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    errors = _Counter()
    logging.basicConfig(level=logging.WARNING, handlers=[errors])
    try:
        conn.send(asyncio.run(_run(spec, stop, errors)))
    except Exception as exc:  # report it to the parent instead of leaving it waiting
        conn.send(f"the bot's process failed: {type(exc).__name__}: {exc}")
        raise


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
        """Stop the bot and return its measurements (RuntimeError if it failed)."""
        self._stop.set()
        try:
            result = self._conn.recv() if self._conn.poll(60) else "the bot did not answer"
        except EOFError:
            result = "the bot's process ended without a result"
        self._process.join(30)
        if self._process.is_alive():
            self._process.kill()
        if not isinstance(result, BotResult):
            raise RuntimeError(str(result))
        return result
