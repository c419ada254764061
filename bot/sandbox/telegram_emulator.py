"""A fake Telegram Bot API server for end-to-end tests, the offline sandbox and benchmarks.

Point PTB at it with `ApplicationBuilder().base_url(emu.base_url).base_file_url(
emu.base_file_url)`. Drive the bot as users do (`send_message`, `press_button`, …), observe
what it did (`calls`, `wait_for`, `messages`) and inject faults (`inject`, flood limits).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from bot.sandbox.tg_calls import Call, Predicate
from bot.sandbox.tg_chats import METHODS as CHAT_METHODS
from bot.sandbox.tg_chats import commands_key
from bot.sandbox.tg_core import Core, Handler
from bot.sandbox.tg_drive import EmulatorDriver
from bot.sandbox.tg_errors import Fault
from bot.sandbox.tg_files import FileStore
from bot.sandbox.tg_flood import FloodControl, FloodLimits
from bot.sandbox.tg_media import METHODS as MEDIA_METHODS
from bot.sandbox.tg_messages import METHODS as MESSAGE_METHODS
from bot.sandbox.tg_observe import EmulatorView
from bot.sandbox.tg_server import ApiServer
from bot.sandbox.tg_state import JSON, World
from bot.sandbox.tg_updates import UpdateQueue
from bot.sandbox.tg_webhook import WebhookSender

__all__ = ["Call", "FloodLimits", "TelegramEmulator"]


class TelegramEmulator(EmulatorDriver, EmulatorView):
    """The fake Bot API for one bot; use `async with TelegramEmulator() as emu:`."""

    def __init__(
        self,
        token: str = "123456:TEST-token",  # noqa: S107 - a fake token, never a real one
        bot_username: str = "RunningHubTestBot",
        *,
        flood: FloodLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        keep_file_bytes: bool = True,
        group_privacy: bool = True,
    ) -> None:
        prefix = token.split(":", 1)[0]
        bot_id = int(prefix) if prefix.isdigit() else 123456
        bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "RunningHub Test Bot",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": not group_privacy,
            "supports_inline_queries": True,
        }
        updates = UpdateQueue()
        self.core = Core(
            world=World(bot_user),
            files=FileStore(keep_bytes=keep_file_bytes),
            updates=updates,
            webhook=WebhookSender(updates),
        )
        self.token = token
        self.group_privacy = group_privacy
        self._lock = threading.RLock()
        methods: dict[str, Handler] = {**CHAT_METHODS, **MESSAGE_METHODS, **MEDIA_METHODS}
        control = FloodControl(flood, clock) if flood is not None else None
        self.server = ApiServer(self.core, token, methods, self._lock, clock, control)
        self.origin = ""

    # --- lifecycle -------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving; return the origin `http://127.0.0.1:PORT`."""
        self.origin = await self.server.start(host, port)
        return self.origin

    async def stop(self) -> None:
        """Stop serving (long polls in flight are cancelled)."""
        await self.server.stop()

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder.base_url` (PTB appends the token)."""
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder.base_file_url`."""
        return f"{self.origin}/file/bot"

    @property
    def bot_user(self) -> JSON:
        """The bot's `User` object (what getMe answers)."""
        return dict(self.core.world.bot_user)

    # --- the world -------------------------------------------------------------------
    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = "en",
        username: str | None = None,
    ) -> JSON:
        """Create or update a user; return the `User` object."""
        with self._lock:
            return dict(self.core.world.user(user_id, first_name, language_code, username))

    def private_chat(self, user_id: int) -> JSON:
        """The private chat with a user (created on first use)."""
        with self._lock:
            return dict(self.core.world.private_chat(user_id).chat)

    def group_chat(
        self, chat_id: int, title: str = "Group", *, supergroup: bool = True, forum: bool = False
    ) -> JSON:
        """A group or supergroup with the bot in it."""
        with self._lock:
            state = self.core.world.group_chat(chat_id, title, supergroup=supergroup, forum=forum)
            return dict(state.chat)

    def set_admins(self, chat_id: int, user_ids: list[int], *, creator: int | None = None) -> None:
        """Set who getChatMember reports as administrators (the bot's id may be one)."""
        with self._lock:
            state = self.core.world.chat(chat_id)
            state.admins = set(user_ids)
            state.creator = creator

    # --- faults ----------------------------------------------------------------------
    def inject(
        self,
        method: str,
        status: int,
        description: str,
        *,
        count: int = 1,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Make the next `count` calls of `method` ("*" = any) fail with this error."""
        parameters: dict[str, Any] = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        self.server.faults.add(Fault(method, count, status, description, parameters))

    def fail_next_after_processing(
        self, method: str, *, count: int = 1, hang_seconds: float | None = None
    ) -> None:
        """The next `count` calls take effect but the answer is lost.

        The connection is dropped (PTB: NetworkError), after `hang_seconds` if given (a
        client read timeout shorter than that gives PTB's TimedOut).
        """
        fault = Fault(method, count, after_processing=True, hang_seconds=hang_seconds)
        self.server.faults.add(fault)

    # --- observing (see EmulatorView) ------------------------------------------------
    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Commands set for a scope (default scope if None) and language."""
        key = commands_key({"scope": scope, "language_code": language_code})
        return [dict(c) for c in self.core.commands.get(key, [])]

    async def wait_for(
        self,
        predicate: Predicate,
        *,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - the brief's API; a deadline, not a cancel scope
        since: int = 0,
    ) -> list[Call]:
        """Wait for `count` calls matching a method name or predicate; return the matches."""
        return await self.server.log.wait_for(predicate, count=count, timeout=timeout, since=since)

    async def wait_until(
        self,
        condition: Callable[[], bool],
        *,
        timeout: float = 10.0,  # noqa: ASYNC109 - a deadline reported in the error
        interval: float = 0.01,
    ) -> None:
        """Poll `condition` (e.g. on webhook deliveries or chat state) until it holds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            if loop.time() >= deadline:
                raise TimeoutError(f"condition still false after {timeout}s")
            await asyncio.sleep(interval)
