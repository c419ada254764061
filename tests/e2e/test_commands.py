"""Every command in a private chat, with good and bad input."""

from __future__ import annotations

import pytest

from tests.e2e.env import USER, Env

SDXL = "1904136902449209346"


async def test_start_and_help_explain_the_bot(bot_env: Env) -> None:
    """/start greets with the first steps and /help documents every command with examples."""
    bot_env.say("/start")
    await bot_env.reply_containing("/setkey")
    bot_env.say("/help")
    text = (await bot_env.reply_containing("Commands:"))["text"]
    for command in ("/run", "/status", "/tasks", "/cancel", "/balance", "/setkey", "/delkey"):
        assert command in text


async def test_russian_user_gets_russian_answers(bot_env: Env) -> None:
    """A user whose Telegram speaks Russian is answered in Russian; /lang en switches to English."""
    bot_env.tg.user(2002, "Оля", language_code="ru")
    bot_env.say("/help", user=2002)
    await bot_env.reply_containing("Команды:", chat_id=2002)
    bot_env.say("/lang en", user=2002)
    await bot_env.reply_containing("English", chat_id=2002)
    bot_env.say("/help", user=2002)
    await bot_env.reply_containing("Commands:", chat_id=2002)


async def test_setkey_deletes_first_and_shows_only_the_fingerprint(bot_env: Env) -> None:
    """The key message is deleted before RunningHub is asked; the answer shows the last 4 only."""
    bot_env.say(f"/setkey {bot_env.key}")
    reply = await bot_env.reply_containing("Key saved")
    assert bot_env.key not in reply["text"]
    assert bot_env.key[-4:] in reply["text"]
    methods = [c.method for c in bot_env.tg.calls if c.method != "getUpdates"]
    assert methods.index("deleteMessage") < methods.index("sendMessage")


@pytest.mark.parametrize(
    ("key_kind", "expected"),
    [("unknown", "rejected this key"), ("free", "free plan"), ("short", "doesn't look like")],
)
async def test_rejected_keys_are_not_stored(bot_env: Env, key_kind: str, expected: str) -> None:
    """Invalid, free-plan and malformed keys get a reason and are not stored."""
    key = {
        "unknown": "f" * 32,
        "free": bot_env.rh.register_key(api_type="FREE"),
        "short": "abc",
    }[key_kind]
    bot_env.say(f"/setkey {key}")
    await bot_env.reply_containing(expected)
    bot_env.say(f"/run {SDXL}")
    await bot_env.reply_containing("no RunningHub API key")


async def test_delkey_forgets_the_key(bot_env: Env) -> None:
    """After /delkey, /run asks for a key again."""
    await bot_env.setkey()
    bot_env.say("/delkey")
    await bot_env.reply_containing("forgotten")
    bot_env.say(f"/run {SDXL}")
    await bot_env.reply_containing("/setkey")


async def test_edited_setkey_is_ignored(bot_env: Env) -> None:
    """Editing a message into /setkey never runs the command again."""
    message = bot_env.say("hello")
    bot_env.tg.edit_message(USER, USER, message, f"/setkey {bot_env.key}")
    bot_env.say("/tasks")
    await bot_env.reply_containing("no tasks")
    assert not bot_env.tg.calls_to("deleteMessage")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/run {SDXL} 6.text=“unclosed", "never closes"),
        ("/run", "Which workflow"),
        (f"/run {SDXL} text=x", "6.text"),
        (f"/run {SDXL} steps=many", "many"),
        (f"/run {SDXL} model=x", "model"),
        (f"/run {SDXL} 99.text=x", "99"),
        ("/run https://example.com/post/1904136902449209346", "example.com"),
    ],
)
async def test_run_parameter_errors_are_explained_before_any_paid_call(
    bot_env: Env, text: str, expected: str
) -> None:
    """Each malformed /run gets a sentence and the usage line, and nothing is created."""
    await bot_env.setkey()
    bot_env.say(text)
    reply = await bot_env.reply_containing(expected)
    assert "Usage: /run" in reply["text"]
    assert bot_env.rh.request_count("/task/openapi/create") == 0


async def test_run_without_a_key_explains_setkey(bot_env: Env) -> None:
    """/run before /setkey explains how to set a key."""
    bot_env.say(f"/run {SDXL}")
    await bot_env.reply_containing("/setkey")


async def test_unknown_command_gets_an_answer(bot_env: Env) -> None:
    """An unknown command is answered with a pointer to /help."""
    bot_env.say("/frobnicate now")
    await bot_env.reply_containing("/frobnicate")


async def test_status_tasks_and_balance(bot_env: Env) -> None:
    """/status shows a task, /tasks lists it, /balance shows coins and key type."""
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    bot_env.say("/status 1")
    await bot_env.reply_containing("Task #1")
    bot_env.say("/tasks")
    await bot_env.reply_containing("#1 · 1904136902449209346 · Done")
    bot_env.say("/balance")
    await bot_env.reply_containing("Key type: NORMAL")


async def test_someone_elses_task_looks_unknown(bot_env: Env) -> None:
    """Another user's task id is answered exactly like an id that does not exist."""
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    await bot_env.setkey(user=3003)
    bot_env.say("/status 1", user=3003)
    stranger = await bot_env.reply_containing("can't find", chat_id=3003)
    bot_env.say("/status 999", user=3003)
    unknown = await bot_env.reply_containing("999", chat_id=3003)
    assert stranger["text"].replace(" 1 ", " 999 ") == unknown["text"]
    bot_env.say("/cancel 1", user=3003)
    await bot_env.reply_containing("can't find task 1 ", chat_id=3003)


async def test_status_and_cancel_without_an_id_show_usage(bot_env: Env) -> None:
    """/status and /cancel without arguments explain how to use them."""
    bot_env.say("/status")
    await bot_env.reply_containing("/status <task id>")
    bot_env.say("/cancel")
    await bot_env.reply_containing("/cancel <task id>")


async def test_command_menus_in_both_languages_for_private_chats_and_groups(bot_env: Env) -> None:
    """setMyCommands registers English and Russian menus, separately for private chats and groups."""
    private_en = bot_env.tg.commands({"type": "all_private_chats"})
    group_ru = bot_env.tg.commands({"type": "all_group_chats"}, "ru")
    private_names = {c["command"] for c in private_en}
    group_names = {c["command"] for c in group_ru}
    assert {"run", "setkey", "balance"} <= private_names
    assert "allowworkflows" in group_names
    assert "setkey" not in group_names
    assert any("воркфлоу" in c["description"] for c in group_ru)


async def test_plain_text_in_private_gets_a_hint(bot_env: Env) -> None:
    """Plain text in a private chat is answered with how to run a workflow."""
    bot_env.say("hello there")
    await bot_env.reply_containing("/run <workflow id>")


async def test_photo_without_run_gets_a_how_to_hint(bot_env: Env) -> None:
    """A photo without a /run caption is answered with how to use it."""
    bot_env.tg.send_message(USER, photo=b"\x89PNG\r\n\x1a\n")
    await bot_env.reply_containing("reply to it with /run")
