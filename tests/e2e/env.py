"""The end-to-end test environment: the real bot between the two emulators."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import Runtime, build_application, running
from bot.config import Settings
from bot.context import BotApplication
from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator

MASTER_KEY = "Jm1nNnB8Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2Q="
USER = 1001


def make_settings(tg: TelegramEmulator, rh: RunningHubEmulator, db: Path, **extra: Any) -> Settings:
    """Settings pointing at the emulators, with every interval short."""
    values: dict[str, Any] = {
        "_env_file": None,
        "telegram_bot_token": tg.token,
        "telegram_api_base_url": tg.base_url,
        "telegram_api_base_file_url": tg.base_file_url,
        "runninghub_base_url": rh.base_url,
        "bot_master_key": MASTER_KEY,
        "database_path": db,
        "poll_initial_interval": 0.05,
        "poll_max_interval": 0.2,
        "capacity_retry_initial": 0.1,
        "capacity_retry_max": 0.3,
        "status_edit_interval": 0.0,
        "group_status_edit_interval": 0.0,
        "task_deadline_seconds": 30.0,
        "runninghub_timeout": 5.0,
        "runninghub_create_timeout": 5.0,
        "telegram_flood_limits": False,
    }
    values.update(extra)
    return Settings(**values)


async def _no_sleep(_: float) -> None:
    await asyncio.sleep(0)


@dataclass
class Env:
    """Drive users through the fake Telegram and watch the bot's answers."""

    tg: TelegramEmulator
    rh: RunningHubEmulator
    settings: Settings
    key: str
    app: BotApplication | None = None
    _stack: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    async def start(self) -> None:
        """Build and start the bot (long polling against the fake server)."""
        runtime = Runtime(self.settings, retry_sleep=_no_sleep, idle_wait=0.02)
        self.app = build_application(self.settings, runtime)
        self._stack = contextlib.AsyncExitStack()
        await self._stack.enter_async_context(running(self.app, self.settings, poll_timeout=1))

    async def stop(self) -> None:
        """Stop the bot cleanly."""
        await self._stack.aclose()
        self.app = None

    async def restart(self) -> None:
        """Stop and start again on the same database."""
        await self.stop()
        await self.start()

    def say(self, text: str, *, user: int = USER, chat_id: int | None = None, **kw: Any) -> int:
        """A user sends a message; return its message id."""
        message = self.tg.send_message(user, text, chat_id=chat_id, **kw)
        return int(message["message_id"])

    async def reply_containing(
        self, text: str, *, chat_id: int = USER, since: int = 0, wait: float = 10.0
    ) -> dict[str, Any]:
        """Wait until the bot sends or edits a message in the chat containing `text`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while loop.time() < deadline:
            for message in reversed(self.tg.bot_messages(chat_id)):
                if int(message["message_id"]) > since and text in (
                    message.get("text") or message.get("caption") or ""
                ):
                    return message
            await asyncio.sleep(0.02)
        seen = [m.get("text") or m.get("caption") for m in self.tg.bot_messages(chat_id)]
        raise AssertionError(f"no bot message containing {text!r}; saw {seen!r}")

    async def setkey(self, *, user: int = USER) -> None:
        """Store the emulator's key for a user through /setkey."""
        self.say(f"/setkey {self.key}", user=user)
        await self.reply_containing("Key saved", chat_id=user)
