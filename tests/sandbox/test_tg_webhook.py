"""Webhook mode of the fake Telegram server, delivering to a receiver that checks the secret.

The receiver does what PTB's webhook server does (403 without the right secret header, else
`Update.de_json` into the Application's update queue); PTB's own server needs tornado, which
is not installed here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Update
from telegram.error import Conflict
from telegram.ext import CommandHandler, ContextTypes

from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.sandbox.tg_fixtures import AnyApplication, make_application, make_bot

USER = 42
SECRET = "s3cret-token_1"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the command's arguments."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("echo: " + " ".join(context.args or []))


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    """A started emulator with one private chat."""
    async with TelegramEmulator() as emulator:
        emulator.private_chat(USER)
        yield emulator


@pytest.fixture
async def app(emu: TelegramEmulator) -> AsyncIterator[AnyApplication]:
    """A started Application (no updater) with an /echo handler."""
    application = make_application(emu)
    application.add_handler(CommandHandler("echo", echo))
    async with application:
        await application.start()
        yield application
        await application.stop()


@pytest.fixture
async def receiver(app: AnyApplication) -> AsyncIterator[str]:
    """A webhook endpoint that checks the secret header like PTB and feeds the Application."""

    async def handle(request: web.Request) -> web.Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != SECRET:
            return web.Response(status=403)
        data: dict[str, Any] = await request.json()
        await app.update_queue.put(Update.de_json(data, app.bot))
        return web.Response()

    web_app = web.Application()
    web_app.router.add_post("/hook", handle)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}/hook"
    await runner.cleanup()


async def test_webhook_delivers_updates_with_the_secret_header(
    emu: TelegramEmulator,
    app: AnyApplication,
    receiver: str,
) -> None:
    """After setWebhook, updates are POSTed with the secret and the bot answers them."""
    assert await app.bot.set_webhook(receiver, secret_token=SECRET)
    emu.send_message(USER, "/echo hook")
    (reply,) = await emu.wait_for("sendMessage")
    assert reply.params["text"] == "echo: hook"
    assert [(d.update_id, d.status) for d in emu.webhook_deliveries] == [(1, 200)]
    info = await app.bot.get_webhook_info()
    assert info.url == receiver
    assert info.pending_update_count == 0
    with pytest.raises(Conflict, match="webhook is active"):
        await app.bot.get_updates(timeout=0)


async def test_rejected_deliveries_are_retried_and_kept_for_polling(
    emu: TelegramEmulator,
    app: AnyApplication,
    receiver: str,
) -> None:
    """Without the secret the receiver answers 403; the update stays queued and is retried."""
    assert await app.bot.set_webhook(receiver)
    emu.send_message(USER, "/echo lost")
    await emu.wait_until(lambda: len(emu.webhook_deliveries) >= 2, timeout=5)
    assert {d.status for d in emu.webhook_deliveries} == {403}
    info = await app.bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message == "Wrong response from the webhook: 403"
    assert await app.bot.delete_webhook()
    async with make_bot(emu) as bot:
        updates = await bot.get_updates(timeout=0)
    assert updates[0].message is not None
    assert updates[0].message.text == "/echo lost"
    assert emu.calls_to("sendMessage") == []
