"""Status-card buttons: Cancel, Refresh, Run again. Only the owner (or, to cancel, a chat
administrator) may press them; anyone else gets an alert and nothing happens."""

from __future__ import annotations

import re

from telegram import CallbackQuery, Update
from telegram.constants import ChatMemberStatus

from bot.commands import CommandError
from bot.context import BotContext
from bot.errors import BotError
from bot.i18n import Translator
from bot.services.runs import Origin
from bot.services.types import Task
from handlers.common import explain, guarded, is_group

PATTERN = re.compile(r"^(cancel|refresh|again):(\d{1,12})$")
_ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def _may(query: CallbackQuery, context: BotContext, task: Task, action: str) -> bool:
    if task.owner_id == query.from_user.id:
        return True
    message = query.message
    if action != "cancel" or message is None or message.chat.type not in ("group", "supergroup"):
        return False
    member = await context.bot.get_chat_member(message.chat.id, query.from_user.id)
    return member.status in _ADMINS


@guarded
async def on_button(update: Update, context: BotContext, t: Translator) -> None:
    """Handle a press on a status-card button; a refusal is shown as an alert."""
    query = update.callback_query
    match = PATTERN.match(query.data or "") if query else None
    if query is None or match is None:
        return
    try:
        await _press(update, context, t, query, match)
    except (BotError, CommandError) as exc:
        await query.answer((explain(exc, t) or "")[:200], show_alert=True)


async def _press(
    update: Update, context: BotContext, t: Translator, query: CallbackQuery, match: re.Match[str]
) -> None:
    action, task_id = match.group(1), int(match.group(2))
    task = await context.services.runs.by_id(task_id)
    if task is None or not await _may(query, context, task, action):
        await query.answer(t.t("button.not_yours"), show_alert=True)
        return
    if action == "cancel":
        task = await context.services.runs.cancel(task)
        await query.answer(t.t("button.cancelling"))
    elif action == "refresh":
        await query.answer(t.t("button.refreshed"))
        await context.services.cards.show(task, force=True)
        return
    else:
        await _run_again(update, context, t, task)
        return
    await context.services.cards.show(task)


async def _run_again(update: Update, context: BotContext, t: Translator, task: Task) -> None:
    query = update.callback_query
    assert query is not None
    assert query.message is not None
    await context.services.accounts.require_key(query.from_user.id)  # refuse before posting
    card = await context.bot.send_message(
        task.chat_id,
        t.t("card.starting"),
        message_thread_id=task.thread_id,
        reply_to_message_id=task.command_message_id,
        allow_sending_without_reply=True,
    )
    origin = Origin(
        query.from_user.id, task.chat_id, task.thread_id, card.message_id, is_group(update)
    )
    new_task, _ = await context.services.runs.run_again(task, origin)
    await context.services.runs.attach_card(new_task.task_id, card.message_id)
    await query.answer(t.t("button.started"))
    await context.services.cards.show(new_task)
