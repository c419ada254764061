"""The sandbox's colon commands, driven line by line against the real bot and both emulators."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import httpx
import pytest

from bot.sandbox.console import open_console
from bot.sandbox.console_chat import GROUP_ID
from bot.sandbox.console_commands import Commands, UsageError, split_path
from bot.sandbox.console_session import SandboxOptions

IMG2IMG = "1904136902449209350"
SDXL = "1904136902449209346"
MULTI = "1904136902449209352"
VIDEO = "1904136902449209353"


def fast(tmp_path: Path, *, run_seconds: float = 0.3) -> SandboxOptions:
    """Sandbox options with sub-second task times and files saved under `tmp_path`."""
    return SandboxOptions(
        out_dir=tmp_path / "out",
        queue_seconds=0.1,
        run_seconds=run_seconds,
        expect_timeout=10.0,
        inline_timeout=0.3,
    )


def silent(text: str) -> None:
    """Discard console output."""


def write_png(path: Path) -> bytes:
    """Write a valid 2×1 red PNG to `path`; return its bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
    data += chunk(b"IEND", b"")
    path.write_bytes(data)
    return data


async def run(console: Commands, *lines: str) -> None:
    """Execute lines as if typed."""
    for line in lines:
        assert await console.execute(line)


def remote_id(console: Commands) -> str:
    """The RunningHub task id shown on the latest status card."""
    found = re.findall(r"RunningHub (\d+)", "\n".join(e.text for e in console.chat.entries))
    assert found
    return str(found[-1])


async def test_photo_caption_run_binds_the_photo(tmp_path: Path) -> None:
    """`:photo <path> /run <img2img>` uploads that image as the workflow's image input."""
    png = write_png(tmp_path / "red.png")
    async with open_console(fast(tmp_path), silent) as console:
        await run(console, "/setkey {key}", ":expect Key saved")
        await run(console, f":photo {tmp_path / 'red.png'} /run {IMG2IMG}", ":expect Done")
        task = console.chat.sandbox.rh.task(remote_id(console))
        assert task is not None
        assert console.chat.sandbox.rh.uploaded(task.overrides["10"]["image"]) == png
        await run(console, ":expect-media")
        assert list((tmp_path / "out").glob("*.png"))


async def test_reply_photo_is_bound_by_the_next_run(tmp_path: Path) -> None:
    """`:reply-photo` then `/run <img2img>`: the command replies to the photo, which is used."""
    png = write_png(tmp_path / "my photo.png")
    printed: list[str] = []
    async with open_console(fast(tmp_path), printed.append) as console:
        await run(console, "/setkey {key}", ":expect Key saved")
        await run(console, f':reply-photo "{tmp_path / "my photo.png"}"', f"/run {IMG2IMG}")
        await run(console, ":expect Done")
        tg, user = console.chat.sandbox.tg, console.chat.user_id
        command = next(m for m in tg.messages(user) if m.get("text") == f"/run {IMG2IMG}")
        assert "photo" in command["reply_to_message"]
        task = console.chat.sandbox.rh.task(remote_id(console))
        assert task is not None
        assert console.chat.sandbox.rh.uploaded(task.overrides["10"]["image"]) == png
        assert console.chat.reply_to is None
    assert any("your next message replies to it" in line for line in printed)


async def test_press_cancel_on_a_running_card(tmp_path: Path) -> None:
    """`:press cancel` presses ✖️ Cancel on the latest card; the task ends cancelled."""
    printed: list[str] = []
    async with open_console(fast(tmp_path, run_seconds=30.0), printed.append) as console:
        await run(console, "/setkey {key}", ":expect Key saved", f"/run {SDXL}")
        await run(console, ":expect Running", ":press cancel", ":expect Cancelled")
        task = console.chat.sandbox.rh.task(remote_id(console))
        assert task is not None
        assert task.cancelled_at is not None
        with pytest.raises(UsageError, match="no button containing 'zzz'"):
            await console.execute(":press zzz")
    assert "· pressed [ ✖️ Cancel ]" in printed


async def test_press_refresh_and_buttons_are_listed(tmp_path: Path) -> None:
    """The card's buttons are printed as `[ label ]`, and `:press refresh` is answered."""
    printed: list[str] = []
    async with open_console(fast(tmp_path, run_seconds=30.0), printed.append) as console:
        with pytest.raises(UsageError, match="no message from the bot with buttons"):
            await console.execute(":press refresh")
        await run(console, "/setkey {key}", ":expect Key saved", f"/run {SDXL}", ":expect Queued")
        calls_before = len(console.chat.sandbox.tg.calls_to("answerCallbackQuery"))
        await run(console, ":press refresh", ":wait 0.5")
        assert len(console.chat.sandbox.tg.calls_to("answerCallbackQuery")) > calls_before
    assert any("[ ✖️ Cancel ] [ 🔄 Refresh ]" in line for line in printed)


async def test_user_switch_changes_sender_and_language(tmp_path: Path) -> None:
    """`:user 1002 ru` makes the next message come from user 1002, answered in Russian."""
    async with open_console(fast(tmp_path), silent) as console:
        await run(console, ":user 1002 ru", "/start", ":expect /setkey")
        assert console.chat.chat_id == 1002
        answers = console.chat.sandbox.tg.bot_messages(1002)
        assert "Привет" in answers[-1]["text"]
        for bad in (":user", ":user abc", ":user 1 2 3", ":user 0"):
            with pytest.raises(UsageError, match="usage: :user"):
                await console.execute(bad)


async def test_group_chat_is_a_supergroup_with_the_user_as_admin(tmp_path: Path) -> None:
    """`:chat group` creates a supergroup whose admin is the current user; the bot answers there."""
    printed: list[str] = []
    async with open_console(fast(tmp_path), printed.append) as console:
        await run(console, ":chat group", "/help", ":expect /run")
        tg = console.chat.sandbox.tg
        assert console.chat.chat_id == GROUP_ID
        assert tg.bot_messages(GROUP_ID)
        url = f"{tg.base_url}{tg.token}/getChatMember"
        async with httpx.AsyncClient() as client:
            answer = (await client.post(url, json={"chat_id": GROUP_ID, "user_id": 1001})).json()
        assert answer["result"]["status"] in ("creator", "administrator")
        await run(console, ":user 1003", ":chat private", ":chat group")
        assert console.chat.chat_id == GROUP_ID
        await run(console, ":chat private")
        assert console.chat.chat_id == 1003
        with pytest.raises(UsageError, match="usage: :chat"):
            await console.execute(":chat channel")
    assert sum("is its admin" in line for line in printed) == 1


async def test_inline_query_without_an_answer_is_reported(tmp_path: Path) -> None:
    """`:inline <query>` says so when the bot does not answer in time, without crashing."""
    printed: list[str] = []
    async with open_console(fast(tmp_path), printed.append) as console:
        console.chat.sandbox.tg.inject("answerInlineQuery", 400, "Bad Request: QUERY_ID_INVALID")
        await run(console, ":inline red fox")
    assert "· no answer to the inline query (the bot may not support inline mode)" in printed
    assert any(line.startswith("[api error] answerInlineQuery: 400") for line in printed)


async def test_inline_answers_are_listed(tmp_path: Path) -> None:
    """`:inline` lists the results the bot answered with (here: the user's finished task)."""
    printed: list[str] = []
    async with open_console(fast(tmp_path), printed.append) as console:
        await run(console, "/setkey {key}", ":expect Key saved", f"/run {SDXL}", ":expect Done")
        await run(console, ":inline", ":expect task #1")
    assert any(line.startswith("[inline answer] 1 result") for line in printed)


async def test_bot_api_errors_are_shown(tmp_path: Path) -> None:
    """A Bot API call that fails appears as an `[api error]` line, and the chat goes on."""
    printed: list[str] = []
    async with open_console(fast(tmp_path), printed.append) as console:
        console.chat.sandbox.tg.inject("sendMessage", 400, "Bad Request: chat not found")
        await run(console, "/help", ":wait 0.5", "/start", ":expect /setkey")
    assert "[api error] sendMessage: 400 Bad Request: chat not found" in printed


async def test_key_placeholder_is_replaced_by_the_emulator_key(tmp_path: Path) -> None:
    """`{key}` in a line stands for the emulator's key, so `/setkey {key}` is accepted."""
    async with open_console(fast(tmp_path), silent) as console:
        await run(console, "/setkey {key}", ":expect Key saved")
        key = console.chat.sandbox.key
        answers = console.chat.sandbox.tg.bot_messages(console.chat.user_id)
        assert any(key[-4:] in str(m.get("text")) for m in answers)


async def test_album_and_video_are_saved_and_count_as_media(tmp_path: Path) -> None:
    """An album's files and a video are written to the out folder and satisfy :expect-media."""
    printed: list[str] = []
    async with open_console(fast(tmp_path), printed.append) as console:
        await run(console, "/setkey {key}", ":expect Key saved")
        await run(console, f"/run {MULTI}", ":expect-media", ":expect Done")
        await run(console, f"/run {VIDEO}", ":expect-media", ":expect Done")
    names = [path.name for path in (tmp_path / "out").iterdir()]
    assert sum(name.endswith(".png") for name in names) >= 2
    assert any(name.endswith(".mp4") for name in names)
    assert any(line.startswith("[album item #") for line in printed)


async def test_misused_commands_raise_usage_errors(tmp_path: Path) -> None:
    """Unknown commands and bad arguments raise UsageError with a hint; blank lines are no-ops."""
    async with open_console(fast(tmp_path), silent) as console:
        assert await console.execute("   ")
        assert not await console.execute(":quit")
        cases = {
            ":frobnicate": ":help",
            ":wait soon": "usage: :wait",
            ":wait -1": "0 to 3600",
            ":photo": "usage: :photo",
            f":photo {tmp_path / 'absent.png'}": "no such file",
            f":reply-photo {tmp_path / 'absent.png'}": "no such file",
            ":press": "usage: :press",
            ":expect": "usage: :expect",
        }
        for line, hint in cases.items():
            with pytest.raises(UsageError, match=re.escape(hint)):
                await console.execute(line)
        write_png(tmp_path / "x.png")
        with pytest.raises(UsageError, match="then type the message"):
            await console.execute(f":reply-photo {tmp_path / 'x.png'} /run 1")


def test_split_path_accepts_quotes() -> None:
    """A quoted path may contain spaces; the rest of the line is the caption."""
    assert split_path('"a b.png" /run 1') == ("a b.png", "/run 1")
    assert split_path("a.png") == ("a.png", "")
    assert split_path("'half.png") == ("'half.png", "")


async def test_unwritable_out_folder_is_reported_not_fatal(tmp_path: Path) -> None:
    """When files cannot be saved the line says so, and the photo still counts as media."""
    (tmp_path / "out").write_text("a file where the folder should be")
    printed: list[str] = []
    async with open_console(fast(tmp_path), printed.append) as console:
        await run(console, "/setkey {key}", ":expect Key saved", f"/run {SDXL}", ":expect-media")
    assert any("photo: not saved (" in line for line in printed)
