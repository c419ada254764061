"""Webhook mode: Telegram pushes updates to the bot's own server, guarded by a secret token."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.e2e.env import USER, Env, make_settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_serves_updates_and_refuses_requests_without_the_secret(
    tg: TelegramEmulator, rh: RunningHubEmulator, tmp_path: Path
) -> None:
    """setWebhook carries the URL and secret; updates arrive and get replies; no secret → 403."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/tg-hook"
    settings = make_settings(
        tg,
        rh,
        tmp_path / "hook.sqlite3",
        telegram_webhook_url=url,
        telegram_webhook_secret="s3cret-token_123",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
    )
    env = Env(tg=tg, rh=rh, settings=settings, key=rh.register_key())
    await env.start()
    try:
        hook = (await tg.wait_for("setWebhook"))[0]
        assert hook.params["url"] == url
        assert hook.params["secret_token"] == "s3cret-token_123"
        env.say("/help")
        await env.reply_containing("Commands:")
        assert tg.webhook_deliveries
        assert not [c for c in tg.calls if c.method == "getUpdates"]
        update = {
            "update_id": 999,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": USER, "type": "private"},
                "text": "/help",
            },
        }
        async with httpx.AsyncClient() as client:
            refused = await client.post(url, json=update)
            wrong = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope-nope"}
            )
        assert refused.status_code == 403
        assert wrong.status_code == 403
    finally:
        await env.stop()


def test_webhook_without_a_secret_is_refused_at_start(tmp_path: Path) -> None:
    """TELEGRAM_WEBHOOK_URL without TELEGRAM_WEBHOOK_SECRET stops start-up with one clear line."""
    import pytest

    from bot.app import webhook_options
    from bot.config import ConfigError, Settings

    settings = Settings(_env_file=None, telegram_webhook_url="https://bot.example.com/hook")  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        webhook_options(settings)
