"""Running tasks: cancel, failures, the capacity queue, the per-user limit, Telegram faults."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.sandbox.runninghub_emulator import EmulatorConfig, Fault, RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.e2e.env import USER, Env, make_settings

SDXL = "1904136902449209346"
FAILING = "1904136902449209351"
MULTI = "1904136902449209352"


async def _running_card(env: Env) -> int:
    card = await env.reply_containing("Running")
    return int(card["message_id"])


async def _restart_with(env: Env, db: Path, **settings: object) -> None:
    """Restart the bot on a fresh ledger with these settings changed."""
    await env.stop()
    env.settings = make_settings(env.tg, env.rh, db, **settings)
    await env.start()


async def _second_run_waits(env: Env, waiting: str, within: float) -> None:
    """Start a run, and while it runs a second one that shows `waiting`; both results come."""
    env.rh.config.run_seconds = 0.6
    await env.setkey()
    env.say(f"/run {SDXL} steps=5")
    await _running_card(env)
    env.say(f"/run {SDXL} steps=6")
    await env.reply_containing(waiting)
    await env.tg.wait_for("sendPhoto", count=2, timeout=within)


async def test_cancel_by_button(bot_env: Env) -> None:
    """Pressing Cancel on the card cancels the task on RunningHub and says so; no result comes."""
    bot_env.rh.config.run_seconds = 30
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    card = await _running_card(bot_env)
    bot_env.tg.press_button(USER, USER, card, "✖️ Cancel")
    await bot_env.reply_containing("was cancelled")
    assert (await bot_env.reply_containing("Cancelled"))["message_id"] == card
    assert not bot_env.tg.calls_to("sendPhoto")
    assert bot_env.rh.request_count("/task/openapi/cancel") == 1


async def test_cancel_by_command(bot_env: Env) -> None:
    """/cancel <id> cancels a running task."""
    bot_env.rh.config.run_seconds = 30
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await _running_card(bot_env)
    bot_env.say("/cancel 1")
    await bot_env.reply_containing("Cancellation of task #1 requested")
    await bot_env.reply_containing("was cancelled")


async def test_strangers_button_press_changes_nothing(bot_env: Env) -> None:
    """Someone else pressing Cancel gets an alert and the task keeps running to its result."""
    bot_env.rh.config.run_seconds = 1.0
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    card = await _running_card(bot_env)
    bot_env.tg.press_button(4004, USER, card, "✖️ Cancel")
    answer = await bot_env.tg.wait_for("answerCallbackQuery")
    assert answer[0].params.get("show_alert") is True
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    assert bot_env.rh.request_count("/task/openapi/cancel") == 0


async def test_run_again_button_starts_a_new_task(bot_env: Env) -> None:
    """Run again on a finished card starts a second task with the same inputs."""
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL} steps=7")
    card = int((await bot_env.reply_containing("Done"))["message_id"])
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    bot_env.tg.press_button(USER, USER, card, "🔁 Run again")
    await bot_env.tg.wait_for("sendPhoto", count=2, timeout=15)
    await bot_env.reply_containing("Task #2")


async def test_failed_task_posts_node_and_oom_hint(bot_env: Env) -> None:
    """A task failing with CUDA OOM posts the node, the exception and the instanceType hint."""
    await bot_env.setkey()
    bot_env.say(f"/run {FAILING}")
    message = await bot_env.reply_containing("failed")
    assert "KSampler" in message["text"]
    assert "instanceType plus" in message["text"]


async def test_multi_output_task_sends_an_album_and_text(bot_env: Env) -> None:
    """Several images go as one album and the text output as a message."""
    await bot_env.setkey()
    bot_env.say(f"/run {MULTI}")
    album = await bot_env.tg.wait_for("sendMediaGroup", timeout=15)
    assert len(album[0].params["media"]) >= 2
    await bot_env.tg.wait_for(lambda c: c.method == "sendMessage" and "Done" not in str(c.params))


async def test_capacity_rejections_queue_locally_until_a_slot_frees(bot_env: Env) -> None:
    """With a one-slot key, the second run waits for a free slot, then both results arrive."""
    await _second_run_waits(bot_env, "Waiting for a free slot", within=20)
    assert bot_env.rh.request_count("/task/openapi/create") >= 3


async def test_transient_create_faults_do_not_lose_the_task(bot_env: Env) -> None:
    """A 421 then a 429 on create are retried with backoff and the task still completes once."""
    bot_env.rh.inject(Fault("code", path="/task/openapi/create", code=421))
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    assert len(bot_env.tg.calls_to("sendPhoto")) == 1


async def test_per_user_limit_queues_the_rest(bot_env: Env, tmp_path: Path) -> None:
    """Beyond MAX_ACTIVE_TASKS_PER_USER the run waits its turn (position shown), then runs."""
    bot_env.rh.register_key(bot_env.key, api_type="SHARED")
    await _restart_with(bot_env, tmp_path / "limit.sqlite3", max_active_tasks_per_user=1)
    await _second_run_waits(bot_env, "Waiting to be sent (#1 in your queue)", within=20)


async def test_flood_control_is_waited_out(bot_env: Env) -> None:
    """A 429 with retry_after on the upload is waited out; the photo arrives exactly once."""
    bot_env.tg.inject("sendPhoto", 429, "Too Many Requests: retry after 1", retry_after=1)
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.tg.wait_for(lambda c: c.method == "sendPhoto" and c.ok, timeout=15)
    assert len([c for c in bot_env.tg.calls_to("sendPhoto") if c.ok]) == 1


async def test_blocked_user_ends_delivery_quietly(bot_env: Env) -> None:
    """A user who blocked the bot gets nothing, the bot keeps serving others, nothing is retried."""
    bot_env.rh.config.run_seconds = 0.5
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await _running_card(bot_env)
    bot_env.tg.block_bot(USER)
    await bot_env.tg.wait_for(lambda c: c.method == "sendPhoto" and c.status == 403, timeout=15)
    await bot_env.setkey(user=5005)
    bot_env.say("/tasks", user=5005)
    await bot_env.reply_containing("no tasks", chat_id=5005)
    blocked_sends = [c for c in bot_env.tg.calls_to("sendPhoto") if c.status == 403]
    assert len(blocked_sends) == 1


async def test_timed_out_task_can_still_be_looked_up(bot_env: Env, tmp_path: Path) -> None:
    """Past the deadline the task stops being polled; /status later finds the result and sends it."""
    await _restart_with(bot_env, tmp_path / "deadline.sqlite3", task_deadline_seconds=0.3)
    bot_env.rh.config.run_seconds = 1.2
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.reply_containing("stopped waiting")
    assert not bot_env.tg.calls_to("sendPhoto")
    await asyncio.sleep(1.5)
    bot_env.say("/status 1")
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    await bot_env.reply_containing("Done")


async def test_run_again_without_a_key_is_refused_with_an_alert(bot_env: Env) -> None:
    """Run again after /delkey answers the button with an alert and posts nothing."""
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    card = int((await bot_env.reply_containing("Done"))["message_id"])
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    bot_env.say("/delkey")
    await bot_env.reply_containing("forgotten")
    sent = len(bot_env.tg.calls_to("sendMessage"))
    bot_env.tg.press_button(USER, USER, card, "🔁 Run again")
    answer = (await bot_env.tg.wait_for("answerCallbackQuery"))[0]
    assert answer.params.get("show_alert") is True
    assert "/setkey" in answer.params["text"]
    assert len(bot_env.tg.calls_to("sendMessage")) == sent


async def test_expired_result_link_is_reported_not_retried_forever(
    tg: TelegramEmulator, tmp_path: Path
) -> None:
    """A result whose link already expired is reported once instead of being retried."""
    config = EmulatorConfig(queue_seconds=0.1, run_seconds=0.2, url_ttl_seconds=0.0)
    async with RunningHubEmulator(config) as rh:
        env = Env(tg, rh, make_settings(tg, rh, tmp_path / "x.sqlite3"), rh.register_key())
        await env.start()
        try:
            await env.setkey()
            env.say(f"/run {SDXL}")
            await env.reply_containing("no longer available")
            assert not tg.calls_to("sendPhoto")
        finally:
            await env.stop()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (416, "lack of coins"),
        (801, "free plan"),
        (802, "rejected your API key"),
        (380, "doesn't know this workflow"),
        (803, "refused the task"),
        (301, "refused the task"),
    ],
)
async def test_create_refusals_become_actionable_sentences(
    bot_env: Env, code: int, expected: str
) -> None:
    """Each RunningHub refusal at create time ends the task with a sentence saying what to do."""
    bot_env.rh.inject(Fault("code", path="/task/openapi/create", code=code))
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    message = await bot_env.reply_containing(expected)
    assert f"code {code}" in message["text"]
    assert bot_env.rh.request_count("/task/openapi/create") == 1


async def test_card_failure_does_not_claim_the_run_failed(bot_env: Env) -> None:
    """If the status card cannot be sent, the user is not told 'something went wrong' (the task
    is recorded and runs), and the card and result still arrive."""
    await bot_env.setkey()
    bot_env.tg.inject("sendMessage", 502, "Bad Gateway")
    bot_env.say(f"/run {SDXL}")
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    await bot_env.reply_containing("Done")
    texts = [m.get("text") or "" for m in bot_env.tg.bot_messages(USER)]
    assert not [t for t in texts if "went wrong" in t]
    assert bot_env.rh.request_count("/task/openapi/create") == 1


async def test_freed_slot_starts_the_waiting_run_without_waiting_out_its_backoff(
    bot_env: Env, tmp_path: Path
) -> None:
    """A run refused with 421 starts as soon as the key's running task ends, not after 30 s."""
    await _restart_with(
        bot_env, tmp_path / "slot.sqlite3", capacity_retry_initial=30.0, capacity_retry_max=30.0
    )
    await _second_run_waits(bot_env, "Waiting for a free slot", within=10)
    assert bot_env.rh.request_count("/task/openapi/create") == 3
