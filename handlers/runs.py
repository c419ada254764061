"""/run, /status, /tasks, /cancel and /balance."""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import Translator
from bot.services.runs import Origin
from handlers.cards import render
from handlers.common import command_args, guarded, is_group, reply
from handlers.media import read_media

log = logging.getLogger(__name__)


def origin_of(update: Update) -> Origin:
    """Who asked, where, with which message."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None
    assert user is not None
    thread = message.message_thread_id if message.is_topic_message else None
    return Origin(user.id, message.chat_id, thread, message.message_id, is_group(update))


@guarded
async def run(update: Update, context: BotContext, t: Translator) -> None:
    """Record a run of a workflow and show its status card."""
    message = update.effective_message
    assert message is not None
    media = await read_media(update, context)
    task, _ = await context.services.runs.start(origin_of(update), command_args(message), media)
    try:
        await context.services.cards.show(task)
    except TelegramError as exc:  # the task is recorded; the poller shows the card later
        log.warning("task %s: status card not sent yet (%s)", task.task_id, type(exc).__name__)


async def _task_reference(update: Update, t: Translator, usage: str) -> tuple[int, str] | None:
    """(user id, task reference) from the command, or None after explaining the usage."""
    message, user = update.effective_message, update.effective_user
    words = command_args(message).split() if message else []
    if not words or user is None:
        await reply(update, t.t(usage))
        return None
    return user.id, words[0]


@guarded
async def status(update: Update, context: BotContext, t: Translator) -> None:
    """Show one of the user's tasks."""
    found = await _task_reference(update, t, "status.usage")
    if found is None:
        return
    runs = context.services.runs
    task = await runs.status(*found)
    await reply(update, render(task, t, position=await runs.queue_position(task), now=time.time()))


@guarded
async def tasks(update: Update, context: BotContext, t: Translator) -> None:
    """List the user's recent tasks."""
    user = update.effective_user
    recent = await context.services.runs.recent(user.id) if user else []
    if not recent:
        await reply(update, t.t("tasks.empty"))
        return
    lines = [t.t("tasks.header")]
    for task in recent:
        state = t.t(f"card.state.{task.state.value}", position=1)
        lines.append(t.t("tasks.line", task=task.task_id, workflow=task.workflow_id, state=state))
    await reply(update, "\n".join(lines))


@guarded
async def cancel(update: Update, context: BotContext, t: Translator) -> None:
    """Cancel one of the user's tasks."""
    found = await _task_reference(update, t, "cancel.usage")
    if found is None:
        return
    runs = context.services.runs
    task = await runs.cancel(await runs.find(*found))
    await reply(update, t.t("cancel.requested", task=task.task_id))
    await context.services.cards.show(task)


@guarded
async def balance(update: Update, context: BotContext, t: Translator) -> None:
    """Show coins, running tasks and key type."""
    assert update.effective_user is not None
    account = await context.services.accounts.balance(update.effective_user.id)
    coins = f"{account.remain_coins:g}" if account.remain_coins is not None else "?"
    key_type = account.api_type or "?"
    text = t.t("balance.text", coins=coins, tasks=account.current_tasks, key_type=key_type)
    await reply(update, text)


async def run_from_caption(update: Update, context: BotContext) -> None:
    """A photo, video or audio whose caption is `/run …` (ignored when meant for another bot)."""
    message = update.effective_message
    caption = message.caption if message else None
    command = caption.split(maxsplit=1)[0] if caption else ""
    if "@" in command and command.split("@", 1)[1].lower() != (context.bot.username or "").lower():
        return
    await run(update, context)
