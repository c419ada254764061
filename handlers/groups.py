"""Group administration: /allowworkflows limits which workflows may run in a chat."""

from __future__ import annotations

import re

from telegram import Update
from telegram.constants import ChatMemberStatus

from bot.context import BotContext
from bot.i18n import Translator
from handlers.common import command_args, guarded, is_group, reply

_ID = re.compile(r"^\d{15,20}$")
ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def is_admin(update: Update, context: BotContext) -> bool:
    """Whether the sender administers this group, asked of Telegram live (never cached)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or not is_group(update):
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in ADMIN_STATUSES


@guarded
async def allow_workflows(update: Update, context: BotContext, t: Translator) -> None:
    """Administrators: /allowworkflows <id …> limits runs here; `off` lifts it; no args shows it."""
    chat = update.effective_chat
    if chat is None or not is_group(update):
        await reply(update, t.t("allow.groups_only"))
        return
    args = command_args(update.effective_message).split() if update.effective_message else []
    if not args:
        current = await context.services.chats.allowed_workflows(chat.id)
        key = "allow.none" if current is None else "allow.current"
        await reply(update, t.t(key, workflows=", ".join(current or [])))
        return
    if not await is_admin(update, context):
        await reply(update, t.t("allow.admins_only"))
        return
    if args == ["off"]:
        await context.services.chats.restrict(chat.id, None)
        await reply(update, t.t("allow.lifted"))
        return
    bad = [a for a in args if not _ID.match(a)]
    if bad:
        await reply(update, t.t("allow.bad_id", value=bad[0][:40]))
        return
    await context.services.chats.restrict(chat.id, sorted(set(args)))
    await reply(update, t.t("allow.set", workflows=", ".join(sorted(set(args)))))
