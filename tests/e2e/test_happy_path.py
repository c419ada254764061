"""The main journey in a private chat: set a key, run a workflow, get the picture."""

from __future__ import annotations

from tests.e2e.env import Env

SDXL = "1904136902449209346"


async def test_setkey_then_run_delivers_the_image(bot_env: Env) -> None:
    """/setkey stores the key, /run shows a card that ends Done, and the image arrives as a photo."""
    await bot_env.setkey()
    command = bot_env.say(f'/run {SDXL} 6.text="a red fox" steps=12')
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    photo = bot_env.tg.calls_to("sendPhoto")[0]
    assert photo.params["reply_parameters"]["message_id"] == command
    assert photo.files["photo"].data.startswith(b"\x89PNG")
    assert SDXL in photo.params["caption"]
    card = await bot_env.reply_containing("Done")
    assert SDXL in card["text"]
    assert not bot_env.tg.sent_urls
    task = bot_env.rh.task(card["text"].split("RunningHub ")[1].split()[0])
    assert task is not None
    assert task.overrides == {"6": {"text": "a red fox"}, "3": {"steps": 12}}
