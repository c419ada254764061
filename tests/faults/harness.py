"""The real bot as a subprocess (`python -m bot run`) between emulators that live in the test.

The emulators run in the test's event loop and survive a `kill -9` of the bot; the bot reads
only environment variables (its working directory is the test's tmp dir, so no `.env`).
Its log lines (stderr, a pipe) are collected. With `volume`, the ledger lives on a small
tmpfs that exists only inside each bot process (see `tests.faults.volume`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from pathlib import Path

from bot.config import Settings
from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from storage.crypto import generate_master_key
from tests.faults.volume import on_tmpfs

FAST_SETTINGS: dict[str, str] = {
    "POLL_INITIAL_INTERVAL": "0.1",
    "POLL_MAX_INTERVAL": "0.3",
    "CAPACITY_RETRY_INITIAL": "0.2",
    "CAPACITY_RETRY_MAX": "0.5",
    "STATUS_EDIT_INTERVAL": "0",
    "GROUP_STATUS_EDIT_INTERVAL": "0",
    "RUNNINGHUB_TIMEOUT": "5",
    "RUNNINGHUB_CREATE_TIMEOUT": "5",
    "TASK_DEADLINE_SECONDS": "60",
    "MAX_ACTIVE_TASKS_PER_USER": "3",
    "LOG_LEVEL": "INFO",
    "TELEGRAM_FLOOD_LIMITS": "false",
}


class BotProcess:
    """One bot subprocess at a time over one ledger in `workdir`; restartable."""

    def __init__(
        self,
        tg: TelegramEmulator,
        rh: RunningHubEmulator,
        workdir: Path,
        *,
        volume: Path | None = None,
        **settings: object,
    ) -> None:
        self.tg = tg
        self.rh = rh
        self.workdir = workdir
        self.volume = volume
        self.master_key = generate_master_key()
        self.settings = {**FAST_SETTINGS, **{k.upper(): str(v) for k, v in settings.items()}}
        self.lines: list[str] = []
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    @property
    def db_path(self) -> Path:
        """The ledger file."""
        return (self.volume or self.workdir) / "bot.sqlite3"

    @property
    def pid(self) -> int:
        """The running bot's process id."""
        assert self._proc is not None, "the bot is not running"
        return self._proc.pid

    @property
    def running(self) -> bool:
        """Whether a bot process is alive."""
        return self._proc is not None and self._proc.returncode is None

    def environment(self) -> dict[str, str]:
        """The child's environment: ours without any bot setting, then the test's settings."""
        ours = {name.upper() for name in Settings.model_fields}
        env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
        env.update(
            TELEGRAM_BOT_TOKEN=self.tg.token,
            TELEGRAM_API_BASE_URL=self.tg.base_url,
            TELEGRAM_API_BASE_FILE_URL=self.tg.base_file_url,
            RUNNINGHUB_BASE_URL=self.rh.base_url,
            BOT_MASTER_KEY=self.master_key,
            DATABASE_PATH=str(self.db_path),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.settings)
        return env

    async def start(self, *, within: float = 20.0) -> None:
        """Start the bot and wait until it logs that it started (or die trying)."""
        assert not self.running, "the bot is already running"
        argv = [sys.executable, "-m", "bot", "run"]
        if self.volume is not None:
            self.volume.mkdir(exist_ok=True)
            argv = on_tmpfs(self.volume, "16m", argv)
        mark = len(self.lines)
        self._proc = await asyncio.create_subprocess_exec(
            *argv,
            cwd=self.workdir,
            env=self.environment(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read(self._proc))
        await self.wait_log("bot started as", since=mark, within=within)

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        while line := await proc.stderr.readline():
            self.lines.append(line.decode("utf-8", errors="replace").rstrip("\n"))

    async def _reap(self) -> int:
        assert self._proc is not None
        code = await self._proc.wait()
        if self._reader is not None:
            await self._reader
        self._proc = self._reader = None
        return code

    async def kill(self) -> None:
        """`kill -9` the bot: no shutdown hooks, no flush, nothing."""
        assert self._proc is not None
        os.kill(self._proc.pid, signal.SIGKILL)
        await self._reap()

    async def stop(self, within: float = 15.0) -> int | None:
        """SIGTERM and wait (SIGKILL after `within` s); None when nothing was running."""
        if self._proc is None:
            return None
        if self._proc.returncode is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(asyncio.shield(self._proc.wait()), within)
            except TimeoutError:
                os.kill(self._proc.pid, signal.SIGKILL)
        return await self._reap()

    def log_text(self, since: int = 0) -> str:
        """Everything the bot logged (all runs), from line `since`."""
        return "\n".join(self.lines[since:])

    async def wait_log(self, text: str, *, since: int = 0, within: float = 10.0) -> str:
        """Wait for a log line containing `text`; fail early if the bot exits."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            for line in self.lines[since:]:
                if text in line:
                    return line
            if self._proc is None or self._proc.returncode is not None:
                await asyncio.sleep(0.05)  # let the reader drain the last lines
                raise AssertionError(f"bot exited before logging {text!r}:\n{self.log_text()}")
            if loop.time() > deadline:
                raise AssertionError(f"no log line with {text!r} in {within}s:\n{self.log_text()}")
            await asyncio.sleep(0.02)

    def ledger(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Read the ledger with a separate read-only connection (not on a `volume`)."""
        assert self.volume is None, "SQLite cannot open a file inside the bot's namespace"
        return read_ledger(self.db_path, sql, params)


def read_ledger(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
    """Run one query on a ledger file through a separate read-only connection."""
    uri = f"file:{path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10.0)) as conn:
        conn.row_factory = sqlite3.Row
        return list(conn.execute(sql, params))
