"""Users' side of the fake Telegram server: group privacy, edits, attachments."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.sandbox.tg_fixtures import make_bot

USER = 42
GROUP = -100


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    """A started emulator (group privacy on) with a supergroup."""
    async with TelegramEmulator() as emulator:
        emulator.group_chat(GROUP, "Team")
        yield emulator


def delivered_texts(emu: TelegramEmulator) -> list[str]:
    """Texts of the queued `message` updates."""
    return [u["message"].get("text", "") for u in emu.pending_updates if "message" in u]


async def test_group_privacy_delivers_only_what_addresses_the_bot(emu: TelegramEmulator) -> None:
    """Commands, mentions and replies to the bot arrive; chatter and /cmd@OtherBot don't."""
    emu.send_message(USER, "chatter", chat_id=GROUP)
    emu.send_message(USER, "/status@OtherBot", chat_id=GROUP)
    emu.send_message(USER, "/status", chat_id=GROUP)
    emu.send_message(USER, "hey @RunningHubTestBot", chat_id=GROUP)
    async with make_bot(emu) as bot:
        card = await bot.send_message(GROUP, "card")
    emu.send_message(USER, "reply to card", chat_id=GROUP, reply_to=card.message_id)
    assert delivered_texts(emu) == ["/status", "hey @RunningHubTestBot", "reply to card"]
    assert len(emu.messages(GROUP)) == 6
    emu.set_admins(GROUP, [emu.bot_user["id"]])
    emu.send_message(USER, "now seen", chat_id=GROUP)
    assert delivered_texts(emu)[-1] == "now seen"


async def test_without_privacy_every_group_message_arrives() -> None:
    """group_privacy=False delivers all group messages, as for an admin bot."""
    async with TelegramEmulator(group_privacy=False) as emu:
        emu.group_chat(GROUP, "Team")
        emu.send_message(USER, "chatter", chat_id=GROUP)
        assert delivered_texts(emu) == ["chatter"]
        assert emu.bot_user["can_read_all_group_messages"] is True


async def test_user_edits_become_edited_message_updates(emu: TelegramEmulator) -> None:
    """Editing a message updates the chat and queues `edited_message` with new entities."""
    sent = emu.send_message(USER, "/setkey abc")
    edited = emu.edit_message(USER, USER, sent["message_id"], "/setkey xyz")
    assert edited["edit_date"] >= sent["date"]
    update = emu.pending_updates[-1]["edited_message"]
    assert update["text"] == "/setkey xyz"
    assert update["entities"] == [{"type": "bot_command", "offset": 0, "length": 7}]
    assert emu.messages(USER)[0]["text"] == "/setkey xyz"
    with pytest.raises(ValueError, match="has no message"):
        emu.edit_message(7, USER, sent["message_id"], "not mine")


async def test_user_attachments_carry_metadata(emu: TelegramEmulator) -> None:
    """Video and audio attachments become Video/Audio objects with names and types."""
    video = emu.send_message(USER, caption="clip", video=(b"\x00" * 10, "in.mp4", "video/mp4"))
    audio = emu.send_message(USER, audio=(b"ID3", "song.mp3", "audio/mpeg"))
    assert video["video"]["file_name"] == "in.mp4"
    assert video["video"]["file_size"] == 10
    assert video["caption"] == "clip"
    assert audio["audio"]["mime_type"] == "audio/mpeg"
    assert emu.file_bytes(audio["audio"]["file_id"]) == b"ID3"
    with pytest.raises(ValueError, match="needs text or media"):
        emu.send_message(USER)
