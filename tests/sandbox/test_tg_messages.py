"""The fake Telegram server speaks the Bot API to PTB: messages, edits and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter

from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.sandbox.tg_fixtures import make_bot

USER = 42
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    """A started emulator with one private chat."""
    async with TelegramEmulator() as emulator:
        emulator.private_chat(USER)
        yield emulator


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    """An initialized PTB Bot talking to the emulator."""
    async with make_bot(emu) as client:
        yield client


async def test_initialize_calls_get_me_and_learns_the_username(
    emu: TelegramEmulator, bot: Bot
) -> None:
    """Bot.initialize() gets the bot user from getMe."""
    assert bot.username == "RunningHubTestBot"
    assert bot.id == 123456
    assert [call.method for call in emu.calls] == ["getMe"]


async def test_wrong_token_is_invalid_token(emu: TelegramEmulator) -> None:
    """A token the server doesn't know answers 401, which PTB raises as InvalidToken."""
    with pytest.raises(InvalidToken):
        async with make_bot(emu, token="999:wrong"):
            pass
    assert emu.calls[-1].status == 401


async def test_send_message_keeps_string_text_and_parses_html(
    emu: TelegramEmulator, bot: Bot
) -> None:
    """text="123" stays a string; HTML becomes entities; the chat model stores the message."""
    plain = await bot.send_message(USER, "123")
    rich = await bot.send_message(USER, "<b>Done</b> ✓", parse_mode="HTML", reply_markup=KEYBOARD)
    assert emu.calls_to("sendMessage")[0].params["text"] == "123"
    assert plain.text == "123"
    assert rich.text == "Done ✓"
    assert rich.entities[0].type == "bold"
    assert rich.reply_markup == KEYBOARD
    assert [m["message_id"] for m in emu.bot_messages(USER)] == [1, 2]
    latest = emu.latest_bot_message(USER)
    assert latest is not None
    assert latest["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert latest["reply_markup"] == KEYBOARD.to_dict()


async def test_limits_and_unknown_chats_are_bad_requests(bot: Bot) -> None:
    """Over-long texts and captions, bad HTML and unknown chats are rejected like Telegram."""
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "x" * 4097)
    await bot.send_message(USER, "x" * 4096)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(USER, b"doc", filename="a.txt", caption="c" * 1025)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(USER, "a < b", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(777, "hello")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(USER, "hi", reply_markup=markup)


async def test_edits_follow_telegram_rules(emu: TelegramEmulator, bot: Bot) -> None:
    """Same content → not modified; no markup removes the keyboard; missing → not found."""
    sent = await bot.send_message(USER, "status: queued", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("status: queued", USER, sent.message_id, reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("status: running", USER, sent.message_id)
    assert isinstance(edited, Message)
    assert edited.text == "status: running"
    assert edited.reply_markup is None
    assert emu.messages(USER)[-1]["text"] == "status: running"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 99)
    mine = emu.send_message(USER, "hello")
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", USER, mine["message_id"])
    with pytest.raises(BadRequest, match="There is no caption"):
        await bot.edit_message_caption(USER, sent.message_id, caption="c")


async def test_reply_parameters_and_threads_are_kept(emu: TelegramEmulator, bot: Bot) -> None:
    """reply_parameters fills reply_to_message; message_thread_id is kept in forums."""
    emu.group_chat(-100, "Forum", forum=True)
    asked = emu.send_message(USER, "/run@RunningHubTestBot x", chat_id=-100, thread_id=5)
    reply = await bot.send_message(
        -100, "ok", message_thread_id=5, reply_parameters=ReplyParameters(asked["message_id"])
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "/run@RunningHubTestBot x"
    assert reply.message_thread_id == 5
    assert reply.is_topic_message
    legacy = await bot.send_message(-100, "ok", reply_to_message_id=asked["message_id"])
    assert legacy.reply_to_message is not None
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(-100, "ok", reply_parameters=ReplyParameters(999))


async def test_injected_faults_map_to_ptb_errors(emu: TelegramEmulator, bot: Bot) -> None:
    """Injected 429 → RetryAfter, migrate_to_chat_id → ChatMigrated; then calls succeed."""
    emu.inject("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(USER, "a")
    assert flood.value.retry_after == timedelta(seconds=3)
    emu.inject("*", 400, "Bad Request: group upgraded", migrate_to_chat_id=-100777)
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_chat_action(USER, "typing")
    assert moved.value.new_chat_id == -100777
    assert (await bot.send_message(USER, "b")).text == "b"


async def test_migrated_group_and_blocked_user(emu: TelegramEmulator, bot: Bot) -> None:
    """Migrated groups answer ChatMigrated; blocked or never-started users, Forbidden."""
    emu.group_chat(-5, "Old", supergroup=False)
    emu.migrate_group(-5, -1005)
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(-5, "hi")
    assert moved.value.new_chat_id == -1005
    assert (await bot.send_message(-1005, "hi")).chat.type == "supergroup"
    emu.block_bot(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hi")
    emu.send_message(USER, "/start")
    assert (await bot.send_message(USER, "back")).text == "back"
    emu.user(555)
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await bot.send_message(555, "hi")


async def test_deleting_others_messages_in_groups_needs_admin(
    emu: TelegramEmulator, bot: Bot
) -> None:
    """The bot deletes its own messages anywhere; a user's in a group only as an admin."""
    emu.group_chat(-100, "Team")
    secret = emu.send_message(USER, "/setkey abc", chat_id=-100)
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await bot.delete_message(-100, secret["message_id"])
    emu.set_admins(-100, [bot.id], creator=USER)
    assert await bot.delete_message(-100, secret["message_id"])
    assert emu.messages(-100) == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(-100, secret["message_id"])


async def test_chat_members_chats_and_commands(emu: TelegramEmulator, bot: Bot) -> None:
    """getChatMember reports creator/administrator/member; commands are kept per scope."""
    emu.group_chat(-100, "Team")
    emu.send_message(7, "hi", chat_id=-100)
    emu.set_admins(-100, [USER], creator=8)
    emu.user(8)
    assert (await bot.get_chat_member(-100, USER)).status == "administrator"
    assert (await bot.get_chat_member(-100, 8)).status == "creator"
    assert (await bot.get_chat_member(-100, 7)).status == "member"
    assert (await bot.get_chat(-100)).title == "Team"
    await bot.set_my_commands([("run", "Run a workflow")])
    await bot.set_my_commands([("run", "Запустить")], language_code="ru")
    assert [c.command for c in await bot.get_my_commands()] == ["run"]
    assert emu.commands(language_code="ru")[0]["description"] == "Запустить"
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Run-It", "bad")])
    assert await bot.leave_chat(-100)
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(-100, "hi")
