"""SIGTERM stops the real bot process cleanly, and a task running then is delivered after."""

from __future__ import annotations

from bot.sandbox.runninghub_emulator import RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.faults.chat import SDXL, photos, say, setkey, wait_until
from tests.faults.conftest import MakeBot

USER = 2101


async def test_sigterm_exits_cleanly_and_work_resumes(
    spawn: MakeBot, tg: TelegramEmulator, rh: RunningHubEmulator
) -> None:
    """`kill -TERM` ends the process with status 0 and no traceback; a restart delivers the task."""
    rh.config.run_seconds = 2.0
    bot = spawn()
    await bot.start()
    await setkey(tg, USER, rh.register_key(api_type="SHARED"))
    command = say(tg, USER, f"/run {SDXL}")
    await wait_until(lambda: rh.request_count("/task/openapi/create") == 1, what="the create")
    code = await bot.stop()
    assert code == 0
    assert "Traceback" not in bot.log_text()
    await bot.start()
    await wait_until(lambda: photos(tg, USER, command) == 1, within=20, what="the photo")
