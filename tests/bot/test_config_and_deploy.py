"""Settings errors, the CLI's start-up messages, .env.example, the Dockerfile and health checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings
from bot.health import heartbeat_path, is_alive

ROOT = Path(__file__).resolve().parents[2]
GOOD_MASTER = "Jm1nNnB8Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2Q="


def _cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "BOT_", "RUNNINGHUB_"))
    }
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "bot", *args],
        cwd=cwd, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_missing_token_is_one_clear_line(tmp_path: Path) -> None:
    """Without a token the bot exits 2 with one line naming the variable and BotFather, no traceback."""
    done = _cli("run", env={"BOT_MASTER_KEY": GOOD_MASTER}, cwd=tmp_path)
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in done.stderr
    assert "BotFather" in done.stderr
    assert "make sandbox" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_malformed_secret_is_named_but_never_echoed() -> None:
    """A malformed master key or token names the variable and never shows the value."""
    with pytest.raises(ConfigError) as caught:
        load_settings(
            _env_file=None,
            bot_master_key="not-a-key-SECRETVALUE",
            telegram_bot_token="bad token SECRET2",
        )
    text = str(caught.value)
    assert "BOT_MASTER_KEY" in text
    assert "TELEGRAM_BOT_TOKEN" in text
    assert "SECRETVALUE" not in text
    assert "SECRET2" not in text


def test_settings_read_comma_separated_ids_and_keep_secrets_hidden() -> None:
    """Allow-lists parse from commas; repr never shows the token or master key."""
    settings = Settings(
        _env_file=None,
        bot_allowed_user_ids="1, 2,3",
        telegram_bot_token="1:abc",
        bot_master_key=GOOD_MASTER,
    )  # type: ignore[arg-type, call-arg]
    assert settings.bot_allowed_user_ids == [1, 2, 3]
    assert "abc" not in repr(settings)
    assert GOOD_MASTER not in repr(settings)
    assert settings.master_keys() == [GOOD_MASTER]


def test_bad_dialect_and_url_are_refused() -> None:
    """An unknown dialect or a URL without a scheme is a clear error naming the variable."""
    with pytest.raises(ConfigError, match="RUNNINGHUB_API_DIALECT"):
        load_settings(_env_file=None, runninghub_api_dialect="v3")
    with pytest.raises(ConfigError, match="RUNNINGHUB_BASE_URL"):
        load_settings(_env_file=None, runninghub_base_url="www.runninghub.ai")


def test_env_example_lists_every_setting() -> None:
    """.env.example names every setting exactly once, each with a comment above it."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = re.findall(r"^([A-Z_]+)=", text, flags=re.M)
    assert sorted(names) == sorted(f.upper() for f in Settings.model_fields)
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^[A-Z_]+=", line):
            assert any(lines[j].startswith("#") for j in range(max(0, index - 3), index)), line


def test_dockerfile_runs_the_cli_from_the_venv_as_non_root() -> None:
    """The final stage puts the venv on PATH, runs as a numeric non-root user, keeps /data, checks health."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    final = text.split("FROM ")[-1]
    assert final.startswith("python:3.11-slim")
    assert 'PATH="/opt/venv/bin:' in final
    assert re.search(r"^USER 10001", final, flags=re.M)
    assert 'VOLUME ["/data"]' in final
    assert '"runninghub-bot", "healthcheck"' in final
    assert 'ENTRYPOINT ["runninghub-bot"]' in final
    assert "gcc" not in final
    assert "pip install" not in final
    script = ROOT / ".venv" / "bin" / "runninghub-bot"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0
    assert "healthcheck" in done.stdout


def test_heartbeat_makes_the_healthcheck_pass(tmp_path: Path) -> None:
    """A fresh heartbeat is healthy, a stale or missing one is not, and the CLI says so."""
    db = tmp_path / "bot.sqlite3"
    beat = heartbeat_path(db)
    assert not is_alive(beat)
    beat.touch()
    assert is_alive(beat)
    assert not is_alive(beat, now=time.time() + 1000)
    done = _cli("healthcheck", env={"DATABASE_PATH": str(tmp_path / "other.sqlite3")}, cwd=tmp_path)
    assert done.returncode == 1
    assert "unhealthy" in done.stdout


def test_gen_key_prints_a_valid_master_key() -> None:
    """gen-key prints a key that Settings accepts."""
    done = _cli("gen-key")
    key = done.stdout.strip()
    assert done.returncode == 0
    assert Settings(_env_file=None, bot_master_key=key).master_keys() == [key]  # type: ignore[call-arg]


def test_backup_copies_the_ledger(tmp_path: Path) -> None:
    """backup FILE writes a consistent copy of the database, including what is only in the WAL."""
    import sqlite3

    db = tmp_path / "bot.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (42)")
    done = _cli(
        "backup", str(tmp_path / "copy.sqlite3"), env={"DATABASE_PATH": str(db)}, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT x FROM t").fetchall() == [(42,)]


def test_rotate_keys_command_reencrypts_under_the_newest_master_key(tmp_path: Path) -> None:
    """`runninghub-bot rotate-keys` with a new key prepended re-encrypts and reports the count."""
    import asyncio

    from storage.crypto import KeyCipher, generate_master_key
    from storage.database import Database
    from storage.keys import ApiKeys

    old, new = generate_master_key(), generate_master_key()
    db_path = tmp_path / "bot.sqlite3"

    async def store() -> None:
        db = await Database.open(db_path)
        await ApiKeys(db, KeyCipher([old])).store(1, "k" * 32)
        await db.close()

    asyncio.run(store())
    env = {"DATABASE_PATH": str(db_path), "BOT_MASTER_KEY": f"{new},{old}"}
    done = _cli("rotate-keys", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "re-encrypted 1 API key(s)" in done.stdout

    async def load() -> str | None:
        db = await Database.open(db_path)
        try:
            return await ApiKeys(db, KeyCipher([new])).load(1)
        finally:
            await db.close()

    assert asyncio.run(load()) == "k" * 32
