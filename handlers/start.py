"""/start, /help and /lang, and the answer to unknown commands."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import SUPPORTED, Translator
from handlers.common import command_args, guarded, is_group, reply


@guarded
async def start(update: Update, context: BotContext, t: Translator) -> None:
    """Greet the user and explain the first steps (a deep link may ask for /setkey)."""
    args = context.args or []
    if args and args[0] == "setkey":
        await reply(update, t.t("start.setkey"))
        return
    await reply(update, t.t("start.text"))


@guarded
async def help_command(update: Update, context: BotContext, t: Translator) -> None:
    """Explain every command with examples."""
    await reply(update, t.t("help.text"))


@guarded
async def lang(update: Update, context: BotContext, t: Translator) -> None:
    """Choose the bot's language: /lang en|ru, or /lang auto for Telegram's."""
    user = update.effective_user
    choice = (
        command_args(update.effective_message).strip().lower() if update.effective_message else ""
    )
    if user is None or choice not in (*SUPPORTED, "auto"):
        await reply(update, t.t("lang.usage"))
        return
    await context.services.accounts.set_language(user.id, None if choice == "auto" else choice)
    t = await _fresh(update, context)
    await reply(update, t.t("lang.set"))


async def _fresh(update: Update, context: BotContext) -> Translator:
    from handlers.common import translator

    return await translator(update, context)


@guarded
async def chatter(update: Update, context: BotContext, t: Translator) -> None:
    """Answer plain text (or a file without /run) in a private chat with what to do next."""
    message = update.effective_message
    has_media = message is not None and bool(
        message.photo or message.document or message.video or message.audio
    )
    await reply(update, t.t("chat.media_hint" if has_media else "chat.hint"))


@guarded
async def unknown(update: Update, context: BotContext, t: Translator) -> None:
    """Answer a command the bot does not know (in groups only when addressed to this bot)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split(maxsplit=1)[0]
    _, _, addressee = command.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # meant for another bot
    if is_group(update) and not addressee:
        return  # in groups, only answer what is clearly meant for this bot
    await reply(update, t.t("error.unknown_command", command=command[:40]))
