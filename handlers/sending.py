"""Sending to the task's chat: replies in its topic, results by type, each marked delivered.

Every output is recorded as delivered (with its Telegram file id) right after Telegram accepts
it, so a restart resumes after the last one posted. RetryAfter is waited out, a migrated group
is followed to its new id, and a deleted /run message does not stop the reply.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import (
    Bot,
    InputMediaPhoto,
    Message,
    ReplyParameters,
)
from telegram.constants import MessageLimit
from telegram.error import ChatMigrated, RetryAfter

from bot.i18n import Translator
from bot.services.chats import Chats
from bot.services.delivery import Deliveries, Item, Kind, albums
from bot.services.notices import decode
from bot.services.runs import Runs
from bot.services.types import Task
from handlers.cards import cost_text

log = logging.getLogger(__name__)
T = TypeVar("T")
_MAX_RETRIES = 5


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split text into Telegram-sized parts, preferring line breaks."""
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    parts.append(text)
    return [p for p in parts if p] or [""]


class Sender:
    """Sends messages for tasks with Telegram's failure modes handled."""

    def __init__(
        self, bot: Bot, deliveries: Deliveries, chats: Chats, runs: Runs,
        *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:  # fmt: skip
        self._bot = bot
        self._deliveries = deliveries
        self._chats = chats
        self._runs = runs
        self._sleep = sleep

    async def _call(self, task: Task, send: Callable[[int], Awaitable[T]]) -> T:
        chat_id = task.chat_id
        for _ in range(_MAX_RETRIES):
            try:
                return await send(chat_id)
            except RetryAfter as exc:
                wait = exc.retry_after
                seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
                await self._sleep(seconds + 0.1)
            except ChatMigrated as exc:
                await self.migrated(chat_id, exc.new_chat_id)
                chat_id = exc.new_chat_id
        return await send(chat_id)

    def _where(self, task: Task) -> dict[str, Any]:
        return {
            "message_thread_id": task.thread_id,
            "reply_parameters": ReplyParameters(
                message_id=task.command_message_id, allow_sending_without_reply=True
            ),
        }

    async def migrated(self, old_chat_id: int, new_chat_id: int) -> None:
        """Follow a group that became a supergroup."""
        moved = await self._chats.migrated(old_chat_id, new_chat_id)
        log.info("chat migrated to a supergroup; %s tasks moved", moved)

    async def send_text(self, task: Task, text: str, **kwargs: Any) -> Message:
        """Send one text message replying to the task's command."""
        where = self._where(task)
        return await self._call(
            task, lambda chat: self._bot.send_message(chat, text, **where, **kwargs)
        )

    def caption(self, task: Task, t: Translator) -> str:
        """Workflow, task id and cost, for result captions."""
        cost = cost_text(task, t)
        base = t.t("result.caption", workflow=task.workflow_id, task=task.task_id)
        return f"{base} · {cost}" if cost else base

    async def send_results(self, task: Task, t: Translator) -> None:
        """Download, send and mark every output not yet delivered."""
        items = await self._deliveries.prepare(task)
        if not items and not await self._deliveries.outputs(task):
            await self.send_text(task, t.t("result.empty"))
        caption = self.caption(task, t)
        for batch in albums(items):
            if len(batch) > 1:
                await self._send_album(task, batch, caption)
            else:
                await self._send_one(task, batch[0], caption, t)

    async def _send_album(self, task: Task, batch: list[Item], caption: str) -> None:
        media = [
            InputMediaPhoto(item.data, filename=item.filename, caption=caption if i == 0 else None)
            for i, item in enumerate(batch)
        ]
        where = self._where(task)
        sent = await self._call(task, lambda chat: self._bot.send_media_group(chat, media, **where))
        for item, message in zip(batch, sent, strict=False):
            file_id = message.photo[-1].file_id if message.photo else None
            await self._deliveries.mark(item, file_id)

    async def _send_one(self, task: Task, item: Item, caption: str, t: Translator) -> None:
        if item.kind in (Kind.TEXT, Kind.TOO_LARGE, Kind.MISSING, Kind.EXPIRED):
            text = item.text
            if item.kind is Kind.TOO_LARGE:
                text = t.t("result.too_large", url=item.output.url or "-")
            elif item.kind is Kind.MISSING:
                text = t.t("result.missing", index=item.output.index + 1)
            elif item.kind is Kind.EXPIRED:
                text = t.t("result.expired", index=item.output.index + 1)
            for part in split_text(text):
                await self.send_text(task, part)
            await self._deliveries.mark(item, None)
            return
        message = await self._call(task, lambda chat: self._upload(chat, task, item, caption))
        await self._deliveries.mark(item, _file_id(message, item.kind))

    async def _upload(self, chat: int, task: Task, item: Item, caption: str) -> Message:
        where = {**self._where(task), "caption": caption, "filename": item.filename}
        methods = {
            Kind.PHOTO: self._bot.send_photo,
            Kind.VIDEO: self._bot.send_video,
            Kind.ANIMATION: self._bot.send_animation,
            Kind.AUDIO: self._bot.send_audio,
            Kind.DOCUMENT: self._bot.send_document,
        }
        method = methods[item.kind]
        message: Message = await method(chat, item.data, **where)  # type: ignore[operator]
        return message

    async def send_outcome(self, task: Task, t: Translator) -> None:
        """Tell the chat why a task ended without results."""
        notice = decode(task.error_text)
        key = f"outcome.{task.state.value}"
        detail = t.t(notice.key, **notice.params) if notice else ""
        await self.send_text(task, t.t(key, task=task.task_id, detail=detail).strip())

    async def give_up(self, task: Task) -> None:
        """Mark everything delivered for a chat we can no longer reach."""
        for output in await self._deliveries.outputs(task):
            if output.delivered_at is None:
                await self._deliveries.mark(Item(output, Kind.MISSING), None)

    async def finish(self, task: Task) -> None:
        """Record that the task's outcome is fully delivered."""
        await self._deliveries.finish(task)


def _file_id(message: Message, kind: Kind) -> str | None:
    media = {
        Kind.PHOTO: message.photo[-1] if message.photo else None,
        Kind.VIDEO: message.video,
        Kind.ANIMATION: message.animation,
        Kind.AUDIO: message.audio,
        Kind.DOCUMENT: message.document,
    }.get(kind)
    return media.file_id if media is not None else None
