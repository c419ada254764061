"""Decoding of Bot API request bodies: form-urlencoded, multipart and JSON.

PTB sends strings raw and every other value as JSON text, so values are decoded per known
key, never blindly: `text="123"` stays a string while `chat_id=42` becomes an int.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from bot.sandbox.tg_errors import bad_request

JSON_KEYS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "media", "results", "commands",
        "scope", "allowed_updates", "reply_parameters", "link_preview_options", "button",
        "menu_button", "permissions", "message_ids",
    }
)  # fmt: skip
INT_KEYS = frozenset(
    {
        "user_id", "message_id", "message_thread_id", "offset", "limit",
        "timeout", "duration", "width", "height", "cache_time", "max_connections",
        "reply_to_message_id", "until_date",
    }
)  # fmt: skip
BOOL_KEYS = frozenset(
    {
        "disable_notification", "protect_content", "has_spoiler", "supports_streaming",
        "drop_pending_updates", "is_personal", "show_alert", "allow_sending_without_reply",
        "disable_content_type_detection", "show_caption_above_media",
        "disable_web_page_preview", "remove_caption", "only_if_banned",
    }
)  # fmt: skip
CHAT_KEYS = frozenset({"chat_id", "from_chat_id"})  # numeric → int, "@username" stays a string
_NUMERIC = re.compile(r"-?\d+")


@dataclass(frozen=True)
class UploadedFile:
    """One multipart file part: its part name, filename, content type, bytes and size."""

    name: str
    filename: str
    content_type: str
    data: bytes
    size: int


def decode_value(key: str, value: Any) -> Any:
    """Decode one parameter the way Telegram does for its known type."""
    if not isinstance(value, str):
        return value
    try:
        if key in JSON_KEYS:
            return json.loads(value)
        if key in INT_KEYS:
            return int(value)
    except ValueError:
        raise bad_request(f"can't parse {key}") from None
    if key in BOOL_KEYS:
        return value.strip().lower() in ("true", "1")
    if key in CHAT_KEYS and _NUMERIC.fullmatch(value.strip()):
        return int(value)
    return value


def decode_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Decode every field of a parsed body."""
    return {key: decode_value(key, value) for key, value in fields.items()}


async def read_body(
    request: web.Request, *, keep_bytes: bool = True
) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Read and decode a request's parameters and uploaded files."""
    content_type = request.content_type
    fields: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if content_type == "application/json" and request.can_read_body:
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON body") from None
        if not isinstance(body, dict):
            raise bad_request("JSON body must be an object")
        fields.update(body)
    elif content_type == "multipart/form-data":
        await _read_multipart(request, fields, files, keep_bytes=keep_bytes)
    elif content_type == "application/x-www-form-urlencoded":
        fields.update((k, v) for k, v in (await request.post()).items() if isinstance(v, str))
    return decode_fields(fields), files


async def _read_multipart(
    request: web.Request,
    fields: dict[str, Any],
    files: dict[str, UploadedFile],
    *,
    keep_bytes: bool,
) -> None:
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = await part.read()
        if part.filename is None:
            fields[part.name] = data.decode(part.get_charset("utf-8"))
            continue
        files[part.name] = UploadedFile(
            name=part.name,
            filename=part.filename,
            content_type=part.headers.get("Content-Type", "application/octet-stream"),
            data=bytes(data) if keep_bytes else b"",
            size=len(data),
        )
