"""Helpers every handler shares: the user's translator, replies in the right topic, access."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType

from bot.commands import CommandError
from bot.context import BotContext
from bot.errors import BotError, NoKeyError
from bot.i18n import Translator, for_language
from bot.services.types import StorageError


async def translator(update: Update, context: BotContext) -> Translator:
    """The translator for the update's user: their /lang choice, else Telegram's language."""
    user = update.effective_user
    if user is None:
        return for_language(None)
    chosen = await context.services.accounts.seen(user.id, user.language_code)
    return for_language(chosen or user.language_code)


def is_group(update: Update) -> bool:
    """True in groups and supergroups."""
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def allowed(update: Update, context: BotContext) -> bool:
    """Whether the operator lets this user and chat use the bot (empty lists allow everyone)."""
    limits = context.services.limits
    user = update.effective_user
    chat = update.effective_chat
    if limits.allowed_user_ids and (user is None or user.id not in limits.allowed_user_ids):
        return False
    if limits.allowed_chat_ids and is_group(update):
        return chat is not None and chat.id in limits.allowed_chat_ids
    return True


async def reply(update: Update, text: str, **kwargs: object) -> Message | None:
    """Reply to the update's message in its chat and forum topic."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(
        text,
        do_quote=True,
        allow_sending_without_reply=True,
        **kwargs,  # type: ignore[arg-type]
    )


def command_args(message: Message) -> str:
    """The text after the command (keeping newlines and spacing exactly as typed)."""
    text = message.text or message.caption or ""
    first = text.split(maxsplit=1)
    if not first or not first[0].startswith("/"):
        return text
    return text[len(first[0]) :].lstrip(" \t")


Handler = Callable[[Update, BotContext, Translator], Awaitable[None]]
Entry = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def guarded(func: Handler) -> Entry:
    """Wrap a handler: operator access check, the user's translator, known errors explained."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: BotContext) -> None:
        if not allowed(update, context):
            return
        t = await translator(update, context)
        try:
            await func(update, context, t)
        except NoKeyError:
            await _ask_for_key(update, context, t)
        except (BotError, CommandError, StorageError) as exc:
            text = explain(exc, t)
            if text is not None:
                await reply(update, text)

    return wrapper


async def _ask_for_key(update: Update, context: BotContext, t: Translator) -> None:
    """No key: in a group, a short reply with a button that opens the private chat."""
    if not is_group(update):
        await reply(update, t.t("key.missing"))
        return
    link = f"https://t.me/{context.bot.username}?start=setkey"
    button = InlineKeyboardButton(t.t("button.open_private"), url=link)
    await reply(update, t.t("key.missing_group"), reply_markup=InlineKeyboardMarkup([[button]]))


def explain(exc: Exception, t: Translator) -> str | None:
    """The user-facing sentence for a known error; None for unexpected ones."""
    if isinstance(exc, CommandError):
        return t.t(exc.code, **exc.params) + "\n\n" + t.t(exc.usage)
    if isinstance(exc, BotError):
        return t.t(exc.key, **exc.params)
    if isinstance(exc, StorageError):
        return t.t("error.storage")
    return None
