"""The chat side of the poller: keeps each task's status card current and posts outcomes.

Cards are edited only when their text changes; a change of elapsed time alone waits for the
edit interval (longer in groups, where Telegram allows about 20 messages a minute), stretched
so that all cards together refresh their elapsed time at most a few times a second — results
and state changes always go first. A card never goes backwards: an older view of a task than
the one shown is ignored.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.i18n import Translator, for_language
from bot.services.accounts import Accounts
from bot.services.runs import Runs
from bot.services.types import Task, TaskState
from handlers.cards import buttons, render
from handlers.sending import Sender

log = logging.getLogger(__name__)
ELAPSED_EDITS_PER_SECOND = 5.0


@dataclass
class _Shown:
    text: str
    updated_at: float
    edited_at: float


class TelegramNotifier:
    """Implements the poller's Notifier and the handlers' Cards."""

    def __init__(
        self,
        bot: Bot,
        accounts: Accounts,
        runs: Runs,
        sender: Sender,
        *,
        edit_interval: float = 3.0,
        group_edit_interval: float = 15.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._bot = bot
        self._accounts = accounts
        self._runs = runs
        self._sender = sender
        self._interval = edit_interval
        self._group_interval = group_edit_interval
        self._clock = clock
        self._locks: dict[int, asyncio.Lock] = {}
        self._shown: dict[int, _Shown] = {}

    async def translator_for(self, user_id: int) -> Translator:
        """The task owner's language."""
        return for_language(await self._accounts.language_of(user_id))

    async def task_changed(self, task: Task) -> None:
        """Poller callback: bring the card up to date."""
        await self.show(task)

    async def show(self, task: Task, *, force: bool = False) -> None:
        """Send the card the first time, edit it afterwards (only when it changes)."""
        lock = self._locks.setdefault(task.task_id, asyncio.Lock())
        async with lock:
            current = await self._runs.find(task.owner_id, str(task.task_id))
            try:
                await self._show(current, force=force)
            except Forbidden:
                log.info("task %s: chat unreachable, card not shown", task.task_id)
            finally:
                if current.state.is_terminal:
                    self._locks.pop(task.task_id, None)

    async def _show(self, task: Task, *, force: bool = False) -> None:
        t = await self.translator_for(task.owner_id)
        now = self._clock()
        text = render(task, t, position=await self._runs.queue_position(task), now=now)
        if task.status_message_id is None:
            message = await self._sender.send_text(task, text, reply_markup=buttons(task, t))
            await self._runs.attach_card(task.task_id, message.message_id)
            self._shown[task.task_id] = _Shown(text, task.updated_at, now)
            return
        shown = self._shown.get(task.task_id)
        if shown is not None:
            if shown.text == text or task.updated_at < shown.updated_at:
                return
            same_state = shown.text.split("\n", 1)[0] == text.split("\n", 1)[0]
            base = self._group_interval if task.chat_id < 0 else self._interval
            # elapsed-only refreshes share a small budget, so many cards never crowd out results
            interval = max(base, len(self._shown) / ELAPSED_EDITS_PER_SECOND)
            recent = now - shown.edited_at < interval
            if not force and not task.state.is_terminal and recent and same_state:
                return
        try:
            await self._bot.edit_message_text(
                text,
                chat_id=task.chat_id,
                message_id=task.status_message_id,
                reply_markup=buttons(task, t),
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
        except ChatMigrated as exc:
            await self._sender.migrated(task.chat_id, exc.new_chat_id)
            return
        self._shown[task.task_id] = _Shown(text, task.updated_at, now)

    async def deliver(self, task: Task) -> None:
        """Poller callback: post the outcome (results or the reason), then mark it delivered."""
        t = await self.translator_for(task.owner_id)
        try:
            if task.state is TaskState.SUCCESS:
                await self._sender.send_results(task, t)
            else:
                await self._sender.send_outcome(task, t)
        except Forbidden:
            log.info("task %s: user blocked the bot; delivery ends here", task.task_id)
            await self._sender.give_up(task)
        await self.show(task)
        await self._sender.finish(task)
        self._shown.pop(task.task_id, None)
