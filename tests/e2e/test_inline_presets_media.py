"""Inline mode, presets and media inputs, end to end."""

from __future__ import annotations

import zlib

from tests.e2e.env import USER, Env

SDXL = "1904136902449209346"
IMG2IMG = "1904136902449209350"
GROUP = -1001234567890
ADMIN = 7007
MEMBER = 8008


def png() -> bytes:
    """A real 2x2 PNG."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


async def test_inline_offers_the_owners_results_as_cached_photos(bot_env: Env) -> None:
    """After a run, @bot in any chat offers the result by file id, personal and briefly cached."""
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    photo = (await bot_env.tg.wait_for("sendPhoto", timeout=15))[0]
    await bot_env.reply_containing("Done")
    query = bot_env.tg.inline_query(USER, "")
    answer = (await bot_env.tg.wait_for("answerInlineQuery"))[0]
    assert answer.params["inline_query_id"] == query["id"]
    assert answer.params["is_personal"] is True
    assert answer.params["cache_time"] <= 10
    result = answer.params["results"][0]
    assert result["type"] == "photo"
    assert result["photo_file_id"] == photo.result["photo"][-1]["file_id"]
    assert not bot_env.rh.request_count("/openapi/v2/query") > 10


async def test_inline_never_shows_someone_elses_task(bot_env: Env) -> None:
    """A stranger's inline query, even for the owner's task id, gets none of the owner's tasks."""
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    bot_env.tg.inline_query(9009, "1")
    answer = (await bot_env.tg.wait_for("answerInlineQuery"))[0]
    assert answer.params["results"] == []


async def test_inline_search_finds_unfinished_tasks_as_articles(bot_env: Env) -> None:
    """A running task matched by its workflow id is offered as an article with its status."""
    bot_env.rh.config.run_seconds = 30
    await bot_env.setkey()
    bot_env.say(f"/run {SDXL}")
    await bot_env.reply_containing("Running")
    bot_env.tg.inline_query(USER, SDXL[:10])
    answer = (await bot_env.tg.wait_for("answerInlineQuery"))[0]
    result = answer.params["results"][0]
    assert result["type"] == "article"
    assert "Running" in result["title"]


async def test_preset_save_run_list_delete(bot_env: Env) -> None:
    """A preset runs its workflow with its defaults, given values win, and it can be deleted."""
    await bot_env.setkey()
    bot_env.say(f'/preset save fox {SDXL} 6.text="a red fox" steps=9')
    await bot_env.reply_containing("Preset fox saved")
    bot_env.say("/run fox steps=11")
    card = await bot_env.reply_containing("Done")
    remote = bot_env.rh.task(card["text"].split("RunningHub ")[1].split()[0])
    assert remote is not None
    assert remote.overrides == {"6": {"text": "a red fox"}, "3": {"steps": 11}}
    bot_env.say("/preset list")
    await bot_env.reply_containing("fox → 1904136902449209346")
    bot_env.say("/preset delete fox")
    await bot_env.reply_containing("deleted")
    bot_env.say("/run fox")
    await bot_env.reply_containing("no preset called fox")


async def test_chat_presets_are_saved_by_admins_for_everyone(bot_env: Env) -> None:
    """An administrator's preset in a group can be run there by any member with a key."""
    bot_env.tg.group_chat(GROUP, "Creators")
    bot_env.tg.set_admins(GROUP, [ADMIN], creator=ADMIN)
    bot_env.say(f"/preset save sdxl {SDXL} steps=4", user=ADMIN, chat_id=GROUP)
    await bot_env.reply_containing("everyone here", chat_id=GROUP)
    await bot_env.setkey(user=MEMBER)
    bot_env.say("/run sdxl", user=MEMBER, chat_id=GROUP)
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    bot_env.say("/run sdxl", user=MEMBER)
    await bot_env.reply_containing("no preset called sdxl", chat_id=MEMBER)


async def test_photo_with_run_caption_is_bound_to_the_load_image_input(bot_env: Env) -> None:
    """A photo captioned /run <img2img> is downloaded, uploaded and bound to LoadImage."""
    await bot_env.setkey()
    bot_env.tg.send_message(USER, photo=png(), caption=f"/run {IMG2IMG}")
    await bot_env.tg.wait_for("sendPhoto", timeout=15)
    card = await bot_env.reply_containing("Done")
    remote = bot_env.rh.task(card["text"].split("RunningHub ")[1].split()[0])
    assert remote is not None
    bound = next(iter(remote.overrides.values()))["image"]
    assert bot_env.rh.uploaded(bound) is not None
    assert not [u for _, u in bot_env.tg.sent_urls if "bot" in u]


async def test_run_replying_to_a_photo_binds_it(bot_env: Env) -> None:
    """/run replying to a photo uses that photo; image=@ names the input explicitly."""
    await bot_env.setkey()
    photo = bot_env.tg.send_message(USER, photo=png())
    bot_env.tg.send_message(USER, f"/run {IMG2IMG} image=@", reply_to=int(photo["message_id"]))
    await bot_env.tg.wait_for("sendPhoto", timeout=15)


async def test_media_for_a_workflow_without_loader_is_refused(bot_env: Env) -> None:
    """A photo sent to a workflow with no LoadImage input is refused before any paid call."""
    await bot_env.setkey()
    bot_env.tg.send_message(USER, photo=png(), caption=f"/run {SDXL}")
    await bot_env.reply_containing("Usage: /run")
    assert bot_env.rh.request_count("/task/openapi/create") == 0


async def test_image_sent_as_a_file_is_bound_too(bot_env: Env) -> None:
    """A PNG sent as a document with a /run caption is treated like a photo."""
    await bot_env.setkey()
    bot_env.tg.send_message(
        USER, document=(png(), "cat.png", "image/png"), caption=f"/run {IMG2IMG}"
    )
    await bot_env.tg.wait_for("sendPhoto", timeout=15)


async def test_video_for_an_image_workflow_is_refused(bot_env: Env) -> None:
    """A video captioned /run on a workflow that only loads images is refused before paying."""
    await bot_env.setkey()
    bot_env.tg.send_message(
        USER,
        video=(b"\x00\x00\x00\x18ftypmp42", "clip.mp4", "video/mp4"),
        caption=f"/run {IMG2IMG}",
    )
    await bot_env.reply_containing("Usage: /run")
    assert bot_env.rh.request_count("/task/openapi/create") == 0


async def test_caption_for_another_bot_is_ignored(bot_env: Env) -> None:
    """A photo captioned /run@OtherBot gets no answer."""
    await bot_env.setkey()
    bot_env.tg.send_message(USER, photo=png(), caption=f"/run@OtherBot {IMG2IMG}")
    bot_env.say("/tasks")
    await bot_env.reply_containing("no tasks")
    assert bot_env.rh.request_count("/task/openapi/create") == 0
