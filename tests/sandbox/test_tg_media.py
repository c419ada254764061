"""The fake Telegram server handles uploads, albums, file ids, URLs and downloads."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InputMediaDocument, InputMediaPhoto, InputMediaVideo
from telegram.error import BadRequest

from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.sandbox.tg_fixtures import make_bot, png

USER = 42


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    """A started emulator with one private chat."""
    async with TelegramEmulator() as emulator:
        emulator.private_chat(USER)
        yield emulator


@pytest.fixture
async def bot(emu: TelegramEmulator) -> AsyncIterator[Bot]:
    """An initialized PTB Bot talking to the emulator."""
    async with make_bot(emu) as client:
        yield client


async def test_send_photo_uploads_a_multipart_part_and_can_be_downloaded(
    emu: TelegramEmulator, bot: Bot
) -> None:
    """sendPhoto bytes → part `photo`; the Message has sizes; getFile serves the bytes."""
    image = png(640, 480)
    sent = await bot.send_photo(USER, image, caption="<i>result</i>", parse_mode="HTML",
                                filename="out.png")  # fmt: skip
    call = emu.calls_to("sendPhoto")[0]
    assert call.files["photo"].filename == "out.png"
    assert call.files["photo"].data == image
    assert [(p.width, p.height) for p in sent.photo] == [(320, 240), (640, 480)]
    assert sent.caption == "result"
    assert sent.caption_entities[0].type == "italic"
    downloaded = await (await bot.get_file(sent.photo[-1].file_id)).download_as_bytearray()
    assert bytes(downloaded) == image
    assert emu.file_bytes(sent.photo[-1].file_id) == image


async def test_file_ids_are_resent_and_urls_recorded_not_fetched(
    emu: TelegramEmulator, bot: Bot
) -> None:
    """A known file_id re-sends the file; a URL is a plain field listed in sent_urls."""
    first = await bot.send_document(USER, b"%PDF-1.4", filename="report.pdf")
    assert first.document is not None
    assert first.document.file_name == "report.pdf"
    assert first.document.mime_type == "application/pdf"
    again = await bot.send_document(USER, first.document.file_id)
    assert again.document is not None
    assert again.document.file_unique_id == first.document.file_unique_id
    assert emu.calls_to("sendDocument")[1].files == {}
    await bot.send_video(USER, "https://cdn.example/out.mp4?apiKey=secret")
    assert emu.sent_urls == [("sendVideo", "https://cdn.example/out.mp4?apiKey=secret")]
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(USER, "no-such-file-id")
    with pytest.raises(BadRequest, match="Can't use file of type"):
        await bot.send_photo(USER, first.document.file_id)


async def test_album_of_photos_and_videos_shares_a_media_group(
    emu: TelegramEmulator, bot: Bot
) -> None:
    """Photos, videos (uploads and URLs) mix in one album with one media_group_id."""
    album = await bot.send_media_group(
        USER,
        [
            InputMediaPhoto(png(), caption="first", filename="a.png"),
            InputMediaVideo(b"\x00\x00\x00\x18ftypmp42", filename="b.mp4"),
            InputMediaPhoto("https://cdn.example/c.png"),
        ],
    )
    assert [m.message_id for m in album] == [1, 2, 3]
    assert len({m.media_group_id for m in album}) == 1
    assert album[0].caption == "first"
    assert album[1].video is not None
    assert len(emu.calls_to("sendMediaGroup")[0].files) == 2
    assert emu.sent_urls == [("sendMediaGroup", "https://cdn.example/c.png")]


@pytest.mark.parametrize(
    ("media", "error"),
    [
        ([InputMediaPhoto(b"p"), InputMediaDocument(b"d")], "Document can't be mixed"),
        ([InputMediaPhoto(b"p")], "Wrong number of media"),
        ([InputMediaPhoto(b"p")] * 11, "Wrong number of media"),
        ([InputMediaPhoto(b"p", caption="c" * 1025)] * 2, "Message caption is too long"),
    ],
)
async def test_album_rules_are_enforced(
    emu: TelegramEmulator, bot: Bot, media: list[InputMediaPhoto], error: str
) -> None:
    """Wrong album sizes, mixes and captions are rejected and nothing is stored."""
    with pytest.raises(BadRequest, match=error):
        await bot.send_media_group(USER, media)
    assert emu.messages(USER) == []


async def test_user_media_can_be_fetched_by_the_bot(emu: TelegramEmulator, bot: Bot) -> None:
    """A user's photo and document arrive with file ids the bot can getFile and download."""
    image = png(1000, 800)
    photo = emu.send_message(USER, caption="/run@RunningHubTestBot", photo=image)
    doc = emu.send_message(USER, document=(b"a,b\n1,2\n", "data.csv", "text/csv"))
    assert photo["caption_entities"][0]["type"] == "bot_command"
    assert photo["photo"][-1]["width"] == 1000
    file = await bot.get_file(photo["photo"][-1]["file_id"])
    assert bytes(await file.download_as_bytearray()) == image
    doc_file = await bot.get_file(doc["document"]["file_id"])
    assert doc_file.file_size == 8
    assert bytes(await doc_file.download_as_bytearray()) == b"a,b\n1,2\n"
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_without_kept_bytes_only_sizes_are_recorded() -> None:
    """keep_file_bytes=False (benchmarks) stores sizes but no bytes."""
    async with TelegramEmulator(keep_file_bytes=False) as emu:
        emu.private_chat(USER)
        async with make_bot(emu) as bot:
            sent = await bot.send_document(USER, b"x" * 1000, filename="big.bin")
        assert sent.document is not None
        assert sent.document.file_size == 1000
        assert emu.file_bytes(sent.document.file_id) is None
        assert emu.calls_to("sendDocument")[0].files["document"].size == 1000


async def test_copy_message_resends_content_with_a_new_caption(
    emu: TelegramEmulator, bot: Bot
) -> None:
    """copyMessage answers a MessageId; the copy keeps the file and takes the new caption."""
    emu.group_chat(-100, "Team")
    original = emu.send_message(USER, caption="mine", photo=png())
    copied = await bot.copy_message(-100, USER, original["message_id"], caption="<b>shared</b>",
                                    parse_mode="HTML")  # fmt: skip
    stored = emu.message(-100, copied.message_id)
    assert stored is not None
    assert stored["photo"] == original["photo"]
    assert stored["caption"] == "shared"
    assert stored["caption_entities"] == [{"type": "bold", "offset": 0, "length": 6}]
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(-100, USER, 999)
