"""Secrets: the API key and the bot token appear nowhere — not in the database files, not in logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.logs import configure_logging
from tests.e2e.env import Env

SDXL = "1904136902449209346"


def _files(db: Path) -> list[Path]:
    return [p for p in db.parent.iterdir() if p.name.startswith(db.name)]


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_no_secret_in_database_files_or_logs(
    bot_env: Env, caplog: pytest.LogCaptureFixture, level: str
) -> None:
    """After /setkey, a run and an error, neither the key nor the token is in the DB, WAL or logs."""
    caplog.set_level(level)
    configure_logging(level, secrets=[bot_env.settings.telegram_bot_token.get_secret_value()])  # type: ignore[union-attr]
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    bot_env.say(f"/setkey {bot_env.key[::-1]}")
    await bot_env.reply_containing("rejected")
    token = bot_env.tg.token
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert logged
    assert bot_env.key not in logged
    assert bot_env.key[::-1] not in logged
    assert token.split(":")[1] not in logged
    db_files = _files(Path(bot_env.settings.database_path))
    assert any(p.name.endswith("-wal") for p in db_files)
    for path in db_files:
        data = path.read_bytes()
        assert bot_env.key.encode() not in data
        assert token.encode() not in data
