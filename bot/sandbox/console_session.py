"""The sandbox's world: both emulators and the real bot in one event loop.

`Sandbox` starts a RunningHub emulator (one registered key), the fake Telegram server and the
bot pointed at them, and stops all three in reverse order. It owns no terminal I/O.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bot.app import Runtime, build_application, running
from bot.config import Settings
from bot.sandbox.runninghub_emulator import EmulatorConfig, RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from storage.crypto import generate_master_key

DEFAULT_OUT = Path("sandbox-out")


@dataclass(frozen=True)
class SandboxOptions:
    """Knobs of one sandbox run (the CLI options, plus timeouts tests shorten)."""

    out_dir: Path = DEFAULT_OUT
    db_path: Path | None = None
    queue_seconds: float = 1.0
    run_seconds: float = 3.0
    quiet: bool = False
    expect_timeout: float = 30.0
    inline_timeout: float = 5.0


def sandbox_settings(
    tg: TelegramEmulator, rh: RunningHubEmulator, db: Path, master_key: str
) -> Settings:
    """Settings for the embedded bot: the emulators' URLs and short intervals."""
    return Settings(
        _env_file=None,
        telegram_bot_token=tg.token,
        telegram_api_base_url=tg.base_url,
        telegram_api_base_file_url=tg.base_file_url,
        runninghub_base_url=rh.base_url,
        bot_master_key=master_key,
        database_path=db,
        log_level="WARNING",
        poll_initial_interval=0.2,
        poll_max_interval=0.5,
        capacity_retry_initial=0.5,
        capacity_retry_max=2.0,
        status_edit_interval=1.0,
        group_status_edit_interval=1.0,
        runninghub_timeout=10.0,
        runninghub_create_timeout=10.0,
        telegram_flood_limits=False,
    )


class Sandbox:
    """The two emulators and the bot; use `async with Sandbox(options) as sandbox:`."""

    def __init__(self, options: SandboxOptions) -> None:
        self.options = options
        self.rh = RunningHubEmulator(
            EmulatorConfig(queue_seconds=options.queue_seconds, run_seconds=options.run_seconds)
        )
        self.tg = TelegramEmulator()
        self.key = self.rh.register_key()
        self.master_key = generate_master_key()
        self.settings: Settings | None = None
        self._stack = contextlib.AsyncExitStack()

    async def start(self) -> None:
        """Start the emulators, then the bot (long polling against the fake server)."""
        stack = self._stack
        try:
            await stack.enter_async_context(self.rh)
            await stack.enter_async_context(self.tg)
            db = self.options.db_path
            if db is None:
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="rh-sandbox-"))
                db = Path(folder) / "bot.sqlite3"
            else:
                db.parent.mkdir(parents=True, exist_ok=True)
            self.settings = sandbox_settings(self.tg, self.rh, db, self.master_key)
            app = build_application(self.settings, Runtime(self.settings, idle_wait=0.2))
            await stack.enter_async_context(running(app, poll_timeout=1))
        except BaseException:
            await stack.aclose()
            raise

    async def stop(self) -> None:
        """Stop the bot, then the emulators (safe to call twice)."""
        await self._stack.aclose()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def secrets(self) -> list[str]:
        """Strings the log filter must hide: the bot token, the master key, the API key."""
        return [self.tg.token, self.master_key, self.key]
