"""A real PTB Application polls the fake Telegram server: commands, buttons, inline mode."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import Conflict
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
)

from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.sandbox.tg_fixtures import AnyApplication, make_application, make_bot

USER = 42
GROUP = -1001
Context = ContextTypes.DEFAULT_TYPE


async def echo(update: Update, context: Context) -> None:
    """Reply with the command's arguments and a button."""
    assert update.effective_message is not None
    button = InlineKeyboardMarkup([[InlineKeyboardButton("Cancel", callback_data="cancel:1")]])
    text = "echo: " + " ".join(context.args or [])
    await update.effective_message.reply_text(text, reply_markup=button)


async def on_button(update: Update, context: Context) -> None:
    """Answer the press and edit the card."""
    query = update.callback_query
    assert query is not None
    await query.answer("Cancelled")
    await query.edit_message_text(f"done: {query.data}")


async def on_inline(update: Update, context: Context) -> None:
    """Answer an inline query with one article."""
    assert update.inline_query is not None
    content = InputTextMessageContent(f"status of {update.inline_query.query}")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Refresh", callback_data="r")]])
    article = InlineQueryResultArticle("a1", "Status", content, reply_markup=keyboard)
    await update.inline_query.answer([article], cache_time=5, is_personal=True)


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    """A started emulator with a private chat and a supergroup."""
    async with TelegramEmulator() as emulator:
        emulator.private_chat(USER)
        emulator.group_chat(GROUP, "Team")
        yield emulator


@pytest.fixture
async def app(emu: TelegramEmulator) -> AsyncIterator[AnyApplication]:
    """A polling Application with echo, button and inline handlers."""
    application = make_application(emu)
    application.add_handler(CommandHandler("echo", echo))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline))
    async with application:
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=10)
        await application.start()
        yield application
        await application.updater.stop()
        await application.stop()


async def test_commands_reach_command_handler_in_private_and_groups(
    emu: TelegramEmulator,
    app: AnyApplication,
) -> None:
    """/echo works in private chats and as /echo@bot in groups; /echo@OtherBot is ignored."""
    emu.send_message(USER, "/echo hello world")
    emu.send_message(USER, "/echo@OtherBot nope")
    emu.send_message(USER, "just text")
    emu.send_message(USER, "/echo@RunningHubTestBot in private")
    sent = await emu.wait_for("sendMessage", count=2)
    assert [c.params["text"] for c in sent] == ["echo: hello world", "echo: in private"]
    emu.send_message(7, "/echo@RunningHubTestBot in group", chat_id=GROUP)
    (group_reply,) = await emu.wait_for(lambda c: c.params.get("chat_id") == GROUP)
    assert group_reply.params["text"] == "echo: in group"
    await asyncio.sleep(0.05)
    assert len(emu.calls_to("sendMessage")) == 3


async def test_callback_button_round_trip(
    emu: TelegramEmulator,
    app: AnyApplication,
) -> None:
    """Pressing a bot's button reaches CallbackQueryHandler; answer and edit are recorded."""
    emu.send_message(USER, "/echo x")
    (card,) = await emu.wait_for("sendMessage")
    emu.press_button(USER, USER, card.result["message_id"], "Cancel")
    await emu.wait_for("editMessageText")
    assert emu.answered_callbacks[0]["text"] == "Cancelled"
    assert emu.messages(USER)[-1]["text"] == "done: cancel:1"
    assert "reply_markup" not in emu.messages(USER)[-1]
    with pytest.raises(ValueError, match="no callback button"):
        emu.press_button(USER, USER, card.result["message_id"], "Cancel")


async def test_inline_query_answer_is_recorded_and_chosen_result_editable(
    emu: TelegramEmulator,
    app: AnyApplication,
) -> None:
    """An inline query reaches InlineQueryHandler; its answer is kept and can be chosen."""
    query = emu.inline_query(USER, "task 17")
    await emu.wait_for("answerInlineQuery")
    answer = emu.inline_answers[query["id"]]
    assert answer["cache_time"] == 5
    assert answer["is_personal"] is True
    assert answer["results"][0]["input_message_content"]["message_text"] == "status of task 17"
    chosen = emu.choose_inline_result(USER, query["id"], "a1")
    async with make_bot(emu) as bot:
        edited = await bot.edit_message_text("new", inline_message_id=chosen["inline_message_id"])
    assert edited is True
    inline = emu.inline_message(chosen["inline_message_id"])
    assert inline is not None
    assert inline["text"] == "new"
    assert "reply_markup" not in inline


async def test_unconfirmed_updates_are_delivered_again(emu: TelegramEmulator) -> None:
    """Updates stay queued until a later offset confirms them, as on Telegram."""
    emu.send_message(USER, "/start")
    async with make_bot(emu) as bot:
        first = await bot.get_updates(timeout=0)
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in first] == [u.update_id for u in again] == [1]
        assert await bot.get_updates(offset=2, timeout=0) == ()
    assert emu.pending_updates == []


async def test_long_poll_returns_as_soon_as_an_update_arrives(emu: TelegramEmulator) -> None:
    """A getUpdates with timeout=10 answers when a user writes, not after 10 s."""
    async with make_bot(emu) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.05)
        emu.send_message(USER, "hi")
        updates = await asyncio.wait_for(poll, 2)
    assert updates[0].message is not None
    assert updates[0].message.text == "hi"


async def test_second_poller_ends_the_first_with_conflict(emu: TelegramEmulator) -> None:
    """A new getUpdates terminates a running one with 409, which PTB raises as Conflict."""
    async with make_bot(emu) as bot, make_bot(emu) as other:
        first = asyncio.create_task(bot.get_updates(timeout=10))
        await emu.wait_for(lambda c: True, count=2)  # both getMe calls
        await asyncio.sleep(0.05)
        assert await other.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await asyncio.wait_for(first, 2)
