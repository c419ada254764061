"""With the product's rate limiter on, a Telegram that enforces flood limits never answers 429."""

from __future__ import annotations

from pathlib import Path

from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import FloodLimits, TelegramEmulator
from tests.e2e.env import Env, make_settings

MULTI = "1904136902449209352"
GROUP = -1001234567890


async def test_paced_delivery_meets_telegrams_limits(
    rh: RunningHubEmulator, tmp_path: Path
) -> None:
    """Cards, edits, an album and text to a private chat and a group: all arrive, no 429."""
    async with TelegramEmulator(flood=FloodLimits()) as tg:
        settings = make_settings(tg, rh, tmp_path / "f.sqlite3", telegram_flood_limits=True)
        env = Env(tg=tg, rh=rh, settings=settings, key=rh.register_key(api_type="SHARED"))
        await env.start()
        try:
            tg.group_chat(GROUP, "Creators")
            await env.setkey()
            env.say(f"/run {MULTI}")
            env.say(f"/run {MULTI}", chat_id=GROUP)
            await tg.wait_for("sendMediaGroup", count=2, timeout=30)
            await env.reply_containing("Done", chat_id=GROUP, wait=30)
            assert tg.flood_rejections == 0
        finally:
            await env.stop()
