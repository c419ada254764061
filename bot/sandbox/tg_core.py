"""Shared state and helpers of the fake server's method handlers.

`Core` holds the world model, files, update queue, webhook sender and what the bot answered
(callback queries, inline queries, commands). The helpers validate what Telegram validates
for every sent message: text and caption limits, inline keyboards and reply parameters.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.tg_decode import UploadedFile
from bot.sandbox.tg_errors import bad_request
from bot.sandbox.tg_files import FileStore
from bot.sandbox.tg_markup import format_text, utf16_len
from bot.sandbox.tg_state import JSON, ChatState, World, reply_copy, snapshot
from bot.sandbox.tg_updates import UpdateQueue
from bot.sandbox.tg_webhook import WebhookSender

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
Files = dict[str, UploadedFile]
Handler = Callable[["Core", JSON, Files], Any]


@dataclass
class Core:
    """Everything the method handlers read and change."""

    world: World
    files: FileStore
    updates: UpdateQueue
    webhook: WebhookSender
    commands: dict[tuple[str, str], list[JSON]] = field(default_factory=dict)
    callback_queries: dict[str, JSON] = field(default_factory=dict)
    answered_callbacks: list[JSON] = field(default_factory=list)
    inline_queries: dict[str, JSON] = field(default_factory=dict)
    inline_answers: dict[str, JSON] = field(default_factory=dict)
    inline_messages: dict[str, JSON] = field(default_factory=dict)
    sent_urls: list[tuple[str, str]] = field(default_factory=list)
    next_media_group: int = 1
    query_ids: Iterator[int] = field(default_factory=lambda: itertools.count(4 * 10**18 + 1))


def check_text(params: JSON) -> tuple[str, list[JSON] | None]:
    """Validate and format `text` the way `sendMessage`/`editMessageText` do."""
    raw = params.get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise bad_request("message text is empty")
    text, entities = _formatted(raw, params, "entities")
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return text, entities


def check_caption(params: JSON) -> tuple[str | None, list[JSON] | None]:
    """Validate and format an optional `caption` (1024 characters at most)."""
    raw = params.get("caption")
    if raw is None or raw == "":
        return None, None
    caption, entities = _formatted(str(raw), params, "caption_entities")
    if utf16_len(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return caption, entities


def _formatted(raw: str, params: JSON, entities_key: str) -> tuple[str, list[JSON] | None]:
    given = params.get(entities_key)
    if given:
        return raw, list(given)
    return format_text(raw, params.get("parse_mode"))


def inline_markup(params: JSON) -> JSON | None:
    """Validate `reply_markup`; return it when it is an inline keyboard (shown on messages)."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Arrays')
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict) or not button.get("text") or len(button) < 2:
            raise bad_request(
                "can't parse inline keyboard button: "
                "Text buttons are unallowed in the inline keyboard"
            )
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    return {"inline_keyboard": rows} if any(rows) else None


def reply_fields(core: Core, state: ChatState, params: JSON) -> JSON:
    """Fields every sent message shares: thread, replied-to message."""
    fields: JSON = {}
    thread = params.get("message_thread_id")
    if thread is not None:
        fields["message_thread_id"] = thread
        if state.chat.get("is_forum"):
            fields["is_topic_message"] = True
    reply = params.get("reply_parameters") or {}
    if not isinstance(reply, dict):
        raise bad_request("can't parse reply parameters JSON object")
    reply_id = reply.get("message_id", params.get("reply_to_message_id"))
    if reply_id is not None:
        reply_chat = core.world.chat(reply["chat_id"]) if "chat_id" in reply else state
        target = reply_chat.messages.get(int(reply_id))
        allow = reply.get("allow_sending_without_reply", params.get("allow_sending_without_reply"))
        if target is not None:
            if reply_chat is state:  # replies to other chats (external_reply) aren't modelled
                fields["reply_to_message"] = reply_copy(target)
        elif not allow:
            raise bad_request("message to be replied not found")
    return fields


def send_bot_message(core: Core, params: JSON, fields: JSON) -> JSON:
    """Store a message from the bot in the target chat and return a copy of it."""
    state = core.world.target(chat_id_of(params))
    content = reply_fields(core, state, params)
    content.update(fields)
    markup = inline_markup(params)
    if markup is not None:
        content["reply_markup"] = markup
    return snapshot(core.world.add_message(state, core.world.bot_user, content))


def chat_id_of(params: JSON) -> int | str:
    """The `chat_id` parameter, or raise `chat_id is empty`."""
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise bad_request("chat_id is empty")
    if not isinstance(chat_id, int | str):
        raise bad_request("chat not found")
    return chat_id
