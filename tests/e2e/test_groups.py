"""Groups and forum topics: whoever runs pays, admins steer, topics and migrations are followed."""

from __future__ import annotations

from tests.e2e.env import USER, Env

SDXL = "1904136902449209346"
GROUP = -1001234567890
ADMIN = 7007
MEMBER = 8008


def _group(env: Env, *, forum: bool = False) -> None:
    env.tg.group_chat(GROUP, "Creators", supergroup=True, forum=forum)
    env.tg.set_admins(GROUP, [ADMIN, int(env.tg.bot_user["id"])], creator=ADMIN)


async def test_run_in_group_uses_the_requesters_key_and_replies_there(bot_env: Env) -> None:
    """/run@Bot in a group runs with the sender's own key; card and photo reply in the group."""
    _group(bot_env)
    await bot_env.setkey()
    command = bot_env.say(f"/run@RunningHubTestBot {SDXL}", chat_id=GROUP)
    photo = (await bot_env.tg.wait_for("sendPhoto", timeout=15))[0]
    assert photo.params["chat_id"] == GROUP
    assert photo.params["reply_parameters"]["message_id"] == command
    await bot_env.reply_containing("Done", chat_id=GROUP)


async def test_member_without_key_gets_a_private_chat_button(bot_env: Env) -> None:
    """A member with no key is told to /setkey privately, with a deep-link button."""
    _group(bot_env)
    bot_env.say(f"/run {SDXL}", user=MEMBER, chat_id=GROUP)
    reply = await bot_env.reply_containing("private chat", chat_id=GROUP)
    button = reply["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"] == "https://t.me/RunningHubTestBot?start=setkey"


async def test_command_for_another_bot_is_ignored(bot_env: Env) -> None:
    """/run@OtherBot gets no answer at all."""
    _group(bot_env)
    bot_env.say(f"/run@OtherBot {SDXL}", chat_id=GROUP)
    bot_env.say("/tasks@RunningHubTestBot", chat_id=GROUP)
    await bot_env.reply_containing("no tasks", chat_id=GROUP)
    texts = [m.get("text", "") for m in bot_env.tg.bot_messages(GROUP)]
    assert len(texts) == 1


async def test_setkey_in_group_is_deleted_and_never_stored(bot_env: Env) -> None:
    """A key posted in a group is deleted, not stored, and the user is told to rotate it."""
    _group(bot_env)
    bot_env.say(f"/setkey {bot_env.key}", user=MEMBER, chat_id=GROUP)
    warning = await bot_env.reply_containing("Never post an API key", chat_id=GROUP)
    assert bot_env.key not in warning["text"]
    assert bot_env.tg.calls_to("deleteMessage")
    assert bot_env.rh.request_count("/uc/openapi/accountStatus") == 0
    bot_env.say(f"/run {SDXL}", user=MEMBER)
    await bot_env.reply_containing("no RunningHub API key", chat_id=MEMBER)


async def test_forum_topic_replies_stay_in_the_topic(bot_env: Env) -> None:
    """In a forum topic, the card and the results carry the topic's thread id."""
    _group(bot_env, forum=True)
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}", chat_id=GROUP, thread_id=42)
    photo = (await bot_env.tg.wait_for("sendPhoto", timeout=15))[0]
    assert photo.params["message_thread_id"] == 42
    card = bot_env.tg.calls_to("sendMessage")[-1]
    assert card.params["message_thread_id"] == 42


async def test_admin_may_cancel_a_members_task_but_others_may_not(bot_env: Env) -> None:
    """A stranger's Cancel press is refused with an alert; an administrator's cancels the task."""
    _group(bot_env)
    bot_env.rh.config.run_seconds = 30
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}", chat_id=GROUP)
    card = int((await bot_env.reply_containing("Running", chat_id=GROUP))["message_id"])
    bot_env.tg.press_button(MEMBER, GROUP, card, "✖️ Cancel")
    refused = await bot_env.tg.wait_for("answerCallbackQuery")
    assert refused[0].params.get("show_alert") is True
    bot_env.tg.press_button(ADMIN, GROUP, card, "✖️ Cancel")
    await bot_env.reply_containing("was cancelled", chat_id=GROUP)


async def test_allowworkflows_restricts_runs_and_needs_an_admin(bot_env: Env) -> None:
    """Admins limit which workflows run; members cannot change it; other workflows are refused."""
    _group(bot_env)
    await bot_env.setkey()
    bot_env.say("/allowworkflows 1904136902449209350", user=MEMBER, chat_id=GROUP)
    await bot_env.reply_containing("Only administrators", chat_id=GROUP)
    bot_env.say("/allowworkflows 1904136902449209350", user=ADMIN, chat_id=GROUP)
    await bot_env.reply_containing("only these workflows", chat_id=GROUP)
    bot_env.say(f"/run {SDXL}", chat_id=GROUP)
    await bot_env.reply_containing("not one of them", chat_id=GROUP)
    bot_env.say("/allowworkflows off", user=ADMIN, chat_id=GROUP)
    await bot_env.reply_containing("Any workflow may run here again", chat_id=GROUP)
    bot_env.say(f"/run {SDXL}", chat_id=GROUP)
    await bot_env.tg.wait_for("sendPhoto", timeout=15)


async def test_migrated_group_keeps_its_tasks(bot_env: Env) -> None:
    """A group upgraded to a supergroup mid-task gets its result at the new chat id."""
    old, new = -4004, -1009998887776
    bot_env.tg.group_chat(old, "Small group", supergroup=False)
    bot_env.rh.config.run_seconds = 1.0
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}", chat_id=old)
    await bot_env.reply_containing("Running", chat_id=old)
    bot_env.tg.migrate_group(old, new)
    photo = await bot_env.tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, timeout=15)
    assert photo[0].params["chat_id"] == new


async def test_operator_allow_lists_keep_strangers_out(bot_env: Env) -> None:
    """With BOT_ALLOWED_USER_IDS set, anyone else is ignored silently."""
    await bot_env.stop()
    bot_env.settings = bot_env.settings.model_copy(update={"bot_allowed_user_ids": [USER]})
    await bot_env.start()
    bot_env.say("/help", user=MEMBER)
    bot_env.say("/help")
    await bot_env.reply_containing("Commands:")
    assert not bot_env.tg.bot_messages(MEMBER)
