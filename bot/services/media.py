"""Media inputs from the chat (a photo, video or audio) and their upload to RunningHub."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.runninghub.client import RunningHubClient

MediaKind = Literal["image", "video", "audio"]

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024
RUNNINGHUB_UPLOAD_LIMIT = 30 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class MediaInput:
    """A file the user attached to a run, already downloaded from Telegram."""

    kind: MediaKind
    data: bytes
    filename: str
    content_type: str

    def __repr__(self) -> str:
        return f"MediaInput({self.kind}, {self.filename!r}, {len(self.data)} bytes)"


async def upload_media(client: RunningHubClient, api_key: str, media: MediaInput) -> str:
    """Upload the file and return the name to bind in the loader node."""
    uploaded = await client.upload(api_key, media.data, media.filename, media.content_type)
    return uploaded.file_name
