"""The application's error handler (known errors are explained by `handlers.common.explain`).

Anything unexpected reaches `on_error`,
which logs without secrets (update id, chat id and command name only — never the update, which
may carry a /setkey message) and tells the user in one sentence that something went wrong.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.context import BotContext
from handlers.common import translator

log = logging.getLogger(__name__)


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return "no update"
    chat = update.effective_chat
    text = update.effective_message.text if update.effective_message else None
    command = text.split(maxsplit=1)[0][:32] if text and text.startswith("/") else "-"
    return f"update {update.update_id} chat {chat.id if chat else '-'} command {command}"


async def on_error(update: object, context: BotContext) -> None:
    """Log the error safely and tell the user something went wrong."""
    error = context.error
    if isinstance(error, Forbidden):
        log.info("bot blocked or removed (%s)", _describe(update))
        return
    log.error(
        "error handling %s: %s",
        _describe(update),
        type(error).__name__,
        exc_info=error if not isinstance(error, TelegramError) else None,
    )
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            t = await translator(update, context)
            await update.effective_message.reply_text(t.t("error.generic"))
        except Exception:
            log.warning("could not tell the user about the error")
