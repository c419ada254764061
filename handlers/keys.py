"""/setkey and /delkey: the user's RunningHub API key (private chats only)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.i18n import Translator
from handlers.common import command_args, guarded, reply

log = logging.getLogger(__name__)


async def _delete_quietly(update: Update) -> None:
    message = update.effective_message
    if message is None:
        return
    try:
        await message.delete()
    except TelegramError:
        log.info("could not delete a /setkey message (not an administrator?)")


@guarded
async def setkey(update: Update, context: BotContext, t: Translator) -> None:
    """Delete the message at once, validate the key with RunningHub, store it encrypted."""
    message = update.effective_message
    args = command_args(message).strip() if message else ""
    await _delete_quietly(update)
    if not args or update.effective_user is None:
        await reply(update, t.t("key.usage"))
        return
    fingerprint = await context.services.accounts.set_key(update.effective_user.id, args)
    await reply(update, t.t("key.saved", fingerprint=fingerprint))


@guarded
async def setkey_in_group(update: Update, context: BotContext, t: Translator) -> None:
    """Delete a key posted in a group, never store it, and tell the user to rotate it."""
    await _delete_quietly(update)
    await reply(update, t.t("key.exposed_in_group", bot=context.bot.username))


@guarded
async def delkey(update: Update, context: BotContext, t: Translator) -> None:
    """Forget the user's key."""
    user = update.effective_user
    deleted = user is not None and await context.services.accounts.delete_key(user.id)
    await reply(update, t.t("key.deleted" if deleted else "key.none_to_delete"))
