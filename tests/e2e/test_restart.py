"""Restarts in every phase: nothing lost, nothing run twice, nothing posted twice."""

from __future__ import annotations

import asyncio

from bot.sandbox.runninghub_emulator import Fault
from tests.e2e.env import USER, Env

SDXL = "1904136902449209346"
MULTI = "1904136902449209352"


async def test_graceful_stop_while_submitting_lets_the_create_finish(bot_env: Env) -> None:
    """A stop during a slow create waits for its answer, so the task runs once and is delivered
    (a kill -9 at that moment makes it UNKNOWN instead: see tests/faults/test_kill.py)."""
    bot_env.rh.inject(Fault("slow", path="/task/openapi/create", delay=1.5))
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.reply_containing("Waiting to be sent")
    await asyncio.sleep(0.3)  # the create is now in flight
    await bot_env.restart()
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    assert bot_env.rh.request_count("/task/openapi/create") == 1
    assert not [m for m in bot_env.tg.bot_messages(USER) if "don't know" in (m.get("text") or "")]


async def test_restart_while_running_delivers_exactly_once(bot_env: Env) -> None:
    """A task running when the bot stops is resumed from the ledger and delivered once."""
    bot_env.rh.config.run_seconds = 1.5
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.reply_containing("Running")
    await bot_env.restart()
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    await asyncio.sleep(0.5)
    assert len(bot_env.tg.calls_to("sendPhoto")) == 1
    assert bot_env.rh.request_count("/task/openapi/create") == 1


async def test_restart_while_queued_locally_submits_after(bot_env: Env) -> None:
    """A task waiting for a slot when the bot stops is still submitted and delivered after."""
    bot_env.rh.config.run_seconds = 1.0
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL} steps=5")
    await bot_env.reply_containing("Running")
    bot_env.say(f"/run {SDXL} steps=6")
    await bot_env.reply_containing("Waiting for a free slot")
    await bot_env.restart()
    await bot_env.tg.wait_for("sendPhoto", count=2, timeout=20)


async def test_restart_mid_delivery_resumes_after_the_last_output(bot_env: Env) -> None:
    """Album posted, text output failing, bot restarted: the text comes once, the album not again."""
    await bot_env.setkey()
    bot_env.say(f"/run {MULTI}")
    await bot_env.reply_containing("Running")
    bot_env.tg.inject("sendMessage", 500, "Internal Server Error", count=2)
    await bot_env.tg.wait_for("sendMediaGroup", timeout=15)
    await bot_env.tg.wait_for(lambda c: c.method == "sendMessage" and c.status == 500)
    await bot_env.restart()
    await bot_env.tg.wait_for(
        lambda c: c.method == "sendMessage" and c.ok and "Done" not in str(c.params), timeout=15
    )
    await asyncio.sleep(0.5)
    assert len(bot_env.tg.calls_to("sendMediaGroup")) == 1


async def test_redelivered_update_creates_no_second_task(bot_env: Env) -> None:
    """The same /run message delivered twice (a Telegram redelivery) runs once."""
    await bot_env.setkey()
    message = bot_env.tg.send_message(USER, f"/run {SDXL}")
    bot_env.tg.core.updates.push("message", dict(message))
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    await asyncio.sleep(0.5)
    assert bot_env.rh.request_count("/task/openapi/create") == 1
    assert len(bot_env.tg.calls_to("sendPhoto")) == 1
