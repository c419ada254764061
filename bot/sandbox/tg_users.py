"""Users' side of the fake server: messages and edits that become `message` updates.

Commands get `bot_command` entities as Telegram computes them; media are stored as files the
bot can fetch with getFile. With group privacy on (Telegram's default), a group message
reaches the bot only if it holds a command not addressed to another bot, mentions the bot,
replies to the bot, or the bot is an administrator; it is stored in the chat either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox.tg_core import Core
from bot.sandbox.tg_decode import UploadedFile
from bot.sandbox.tg_markup import command_entities
from bot.sandbox.tg_mediaobj import media_fields, store_upload
from bot.sandbox.tg_state import JSON, ChatState, reply_copy, snapshot

Attachment = tuple[bytes, str, str]  # bytes, filename, MIME type


@dataclass(frozen=True)
class UserMedia:
    """Files a user attaches to a message (at most one is used, photo first)."""

    photo: bytes | None = None
    document: Attachment | None = None
    video: Attachment | None = None
    audio: Attachment | None = None


def _visible(core: Core, state: ChatState, message: JSON, privacy: bool) -> bool:
    """Whether the bot receives this message (group privacy mode)."""
    if state.is_private or not privacy:
        return True
    bot = core.world.bot_user
    if bot["id"] in state.admins or state.creator == bot["id"]:
        return True
    if message.get("reply_to_message", {}).get("from", {}).get("id") == bot["id"]:
        return True
    text = str(message.get("text") or message.get("caption") or "")
    name = str(bot["username"]).lower()
    if f"@{name}" in text.lower():
        return True
    key = "entities" if "text" in message else "caption_entities"
    for entity in message.get(key) or []:
        if entity["type"] == "bot_command":
            command = text[entity["offset"] : entity["offset"] + entity["length"]]
            if "@" not in command:
                return True
    return False


def _attach(core: Core, media: UserMedia) -> JSON:
    if media.photo is not None:
        upload = UploadedFile("photo", "photo.jpg", "image/jpeg", media.photo, len(media.photo))
        return media_fields("photo", store_upload(core.files, "photo", upload))
    for kind in ("document", "video", "audio"):
        attachment: Attachment | None = getattr(media, kind)
        if attachment is not None:
            data, filename, mime = attachment
            upload = UploadedFile(kind, filename, mime, data, len(data))
            return media_fields(kind, store_upload(core.files, kind, upload))
    return {}


def user_message(
    core: Core,
    user_id: int,
    text: str | None,
    *,
    chat_id: int | None = None,
    reply_to: int | None = None,
    thread_id: int | None = None,
    media: UserMedia | None = None,
    caption: str | None = None,
    privacy: bool = True,
) -> JSON:
    """Store a user's message and queue it as a `message` update; return a copy."""
    world = core.world
    sender = world.users.get(user_id) or world.user(user_id)
    state = world.private_chat(user_id) if chat_id is None else world.chat(chat_id)
    if state.migrated_to is not None:
        raise ValueError(f"chat {state.id} was migrated to {state.migrated_to}")
    state.blocked = False  # writing to the bot unblocks it
    fields = _attach(core, media) if media else {}
    if fields:
        body = caption if caption is not None else text
        if body:
            fields["caption"] = body
            fields["caption_entities"] = command_entities(body)
    elif text:
        fields["text"] = text
        fields["entities"] = command_entities(text)
    else:
        raise ValueError("a user message needs text or media")
    fields = {k: v for k, v in fields.items() if v}
    if thread_id is not None:
        fields["message_thread_id"] = thread_id
        if state.chat.get("is_forum"):
            fields["is_topic_message"] = True
    if reply_to is not None:
        target = state.messages.get(reply_to)
        if target is None:
            raise ValueError(f"no message {reply_to} in chat {state.id}")
        fields["reply_to_message"] = reply_copy(target)
    message = world.add_message(state, sender, fields)
    if _visible(core, state, message, privacy):
        core.updates.push("message", snapshot(message))
    return snapshot(message)


def user_edit(
    core: Core, user_id: int, chat_id: int, message_id: int, new_text: str, *, privacy: bool
) -> JSON:
    """Edit a user's own message and queue an `edited_message` update; return a copy."""
    state = core.world.chat(chat_id)
    message = state.messages.get(message_id)
    if message is None or message["from"]["id"] != user_id:
        raise ValueError(f"user {user_id} has no message {message_id} in chat {chat_id}")
    key = "text" if "text" in message else "caption"
    message[key] = new_text
    entities = command_entities(new_text)
    entities_key = "entities" if key == "text" else "caption_entities"
    if entities:
        message[entities_key] = entities
    else:
        message.pop(entities_key, None)
    message["edit_date"] = core.world.now()
    if _visible(core, state, message, privacy):
        core.updates.push("edited_message", snapshot(message))
    return snapshot(message)
