"""RunningHub completion callbacks: a callback triggers an immediate check; polling is the net."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sqlite3
from pathlib import Path

import httpx

from bot.callbacks import task_id_of
from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.e2e.env import Env, make_settings

SDXL = "1904136902449209346"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_callbacks_deliver_fast_with_few_requests(
    tg: TelegramEmulator, rh: RunningHubEmulator, tmp_path: Path
) -> None:
    """With callbacks on, a task costs at most 3 RunningHub requests and still arrives promptly."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/rh-callback"
    settings = make_settings(
        tg,
        rh,
        tmp_path / "cb.sqlite3",
        runninghub_webhook_url=url,
        runninghub_webhook_listen="127.0.0.1",
        runninghub_webhook_port=port,
        runninghub_webhook_poll_interval=30.0,
    )
    env = Env(tg=tg, rh=rh, settings=settings, key=rh.register_key())
    await env.start()
    try:
        await env.setkey()
        before = rh.request_count()
        env.say(f"/run {SDXL}")
        await tg.wait_for("sendPhoto", timeout=10)
        task_requests = rh.request_count() - before
        assert rh.request_count("/task/openapi/create") == 1
        assert (
            task_requests <= 4
        )  # create, the workflow's API JSON, the callback's re-query, download
        assert rh.request_count("/openapi/v2/query") <= 2
        async with httpx.AsyncClient() as client:
            unknown = await client.post(
                url, json={"event": "TASK_END", "taskId": "1234567890123456789"}
            )
            garbage = await client.post(url, content=b"not json")
            huge = await client.post(url, content=b"x" * 200_000)
        assert unknown.status_code == 200
        assert garbage.status_code == 400
        assert huge.status_code == 413
    finally:
        await env.stop()


def test_callback_body_parsing() -> None:
    """Only a JSON object with a numeric taskId (string or number) counts as a callback."""
    assert (
        task_id_of(b'{"event":"TASK_END","taskId":"1904163390028185602","eventData":"{}"}')
        == "1904163390028185602"
    )
    assert task_id_of(b'{"taskId": 1904163390028185602}') == "1904163390028185602"
    assert task_id_of(b'{"taskId": true}') is None
    assert task_id_of(b"[1, 2]") is None
    assert task_id_of(b'{"taskId": "../../etc"}') is None


async def test_callback_lost_while_down_is_caught_up_on_start(
    tg: TelegramEmulator, rh: RunningHubEmulator, tmp_path: Path
) -> None:
    """A task that ends while the bot is down (its callback lost) is checked as soon as the bot
    starts, not at the next five-minute safety-net poll."""
    port = _free_port()
    settings = make_settings(
        tg,
        rh,
        tmp_path / "lost.sqlite3",
        runninghub_webhook_url=f"http://127.0.0.1:{port}/rh-callback",
        runninghub_webhook_listen="127.0.0.1",
        runninghub_webhook_port=port,
    )
    assert settings.runninghub_webhook_poll_interval == 300.0
    rh.config.run_seconds = 0.5
    rh.config.webhook_retries = 1
    rh.config.webhook_retry_delay = 0.05
    env = Env(tg=tg, rh=rh, settings=settings, key=rh.register_key())
    await env.start()
    await env.setkey()
    env.say(f"/run {SDXL}")
    await env.reply_containing("Running")
    await env.stop()
    with contextlib.closing(sqlite3.connect(tmp_path / "lost.sqlite3")) as db:
        (remote_id,) = db.execute("SELECT remote_id FROM tasks").fetchone()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while loop.time() < deadline:
        record = rh.webhook(remote_id)
        if record is not None and record.status == "FAILED":
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the emulator never gave up on the callback")
    queries = rh.request_count("/openapi/v2/query")
    await env.start()
    try:
        await tg.wait_for("sendPhoto", timeout=10)
        assert rh.request_count("/openapi/v2/query") == queries + 1
    finally:
        await env.stop()
