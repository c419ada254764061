"""Telegram update handlers: parse, call one service, reply with one message key.

`register()` wires them into the Application; `bot.app` is the only caller.
"""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import BotApplication
from bot.i18n import SUPPORTED, for_language
from handlers import callbacks, groups, inline, keys, presets, runs, start
from handlers.errors import on_error

PRIVATE_COMMANDS = (
    "run", "status", "tasks", "cancel", "balance", "preset", "setkey", "delkey", "lang", "help",
)  # fmt: skip
GROUP_COMMANDS = ("run", "status", "tasks", "cancel", "preset", "allowworkflows", "help")


def register(app: BotApplication) -> None:
    """Add every handler and the error handler to the application."""
    new = filters.UpdateType.MESSAGE  # edited messages never re-run a command
    private, in_groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    media_caption = filters.CaptionRegex(r"^/run(@\w+)?(\s|$)") & new
    app.add_handler(CommandHandler("start", start.start, new))
    app.add_handler(CommandHandler("help", start.help_command, new))
    app.add_handler(CommandHandler("lang", start.lang, new))
    app.add_handler(CommandHandler("setkey", keys.setkey, private & new))
    app.add_handler(CommandHandler("setkey", keys.setkey_in_group, in_groups & new))
    app.add_handler(CommandHandler("delkey", keys.delkey, new))
    app.add_handler(CommandHandler("run", runs.run, new))
    app.add_handler(MessageHandler(media_caption, runs.run_from_caption))
    app.add_handler(CommandHandler("status", runs.status, new))
    app.add_handler(CommandHandler("tasks", runs.tasks, new))
    app.add_handler(CommandHandler("cancel", runs.cancel, new))
    app.add_handler(CommandHandler("balance", runs.balance, new))
    app.add_handler(CommandHandler("preset", presets.preset, new))
    app.add_handler(CommandHandler("allowworkflows", groups.allow_workflows, new))
    app.add_handler(CallbackQueryHandler(callbacks.on_button, pattern=callbacks.PATTERN))
    app.add_handler(InlineQueryHandler(inline.on_inline))
    app.add_handler(MessageHandler(filters.COMMAND & new, start.unknown))
    app.add_handler(MessageHandler(private & new & ~filters.COMMAND, start.chatter))
    app.add_error_handler(on_error)


async def set_commands(app: BotApplication) -> None:
    """Register the command menus, per language, for private chats and for groups."""
    for language in SUPPORTED:
        t = for_language(language)
        for names, scope in (
            (PRIVATE_COMMANDS, BotCommandScopeAllPrivateChats()),
            (GROUP_COMMANDS, BotCommandScopeAllGroupChats()),
        ):
            commands = [BotCommand(name, t.t(f"menu.{name}")) for name in names]
            code = None if language == "en" else language
            await app.bot.set_my_commands(commands, scope=scope, language_code=code)
