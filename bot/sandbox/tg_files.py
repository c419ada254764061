"""File storage of the fake Telegram server: uploads, user media, URLs and file ids.

Every file gets a `file_id`, a `file_unique_id` and a `file_path` served under
`/file/bot<token>/<file_path>`. URLs are recorded, never fetched. With `keep_bytes=False` only
sizes are kept (benchmarks), and downloads answer 404.
"""

from __future__ import annotations

import secrets
import struct
from dataclasses import dataclass
from typing import Any

MAX_DOWNLOAD = 20 * 1024 * 1024
_EXTENSIONS = {"photo": "jpg", "video": "mp4", "animation": "mp4", "audio": "mp3", "voice": "ogg"}


@dataclass
class StoredFile:
    """One file known to the server (uploaded by the bot, sent by a user, or a URL)."""

    file_id: str
    file_unique_id: str
    file_path: str
    kind: str
    size: int
    filename: str | None = None
    mime_type: str | None = None
    data: bytes | None = None
    url: str | None = None
    width: int = 0
    height: int = 0
    thumb: StoredFile | None = None

    def get_file_result(self) -> dict[str, Any]:
        """Return the `File` object that `getFile` answers with."""
        result: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_path": self.file_path,
        }
        if self.size:
            result["file_size"] = self.size
        return result


class FileStore:
    """All files by id and by path; ids are unique per server instance."""

    def __init__(self, *, keep_bytes: bool = True) -> None:
        self.keep_bytes = keep_bytes
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = 0
        self._salt = secrets.token_hex(3)

    def add(
        self,
        kind: str,
        *,
        data: bytes | None = None,
        size: int | None = None,
        filename: str | None = None,
        mime_type: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        """Store a new file (bytes or a URL) and return it."""
        self._counter += 1
        n = self._counter
        ext = _extension(kind, filename)
        width, height = image_size(data) if data and kind == "photo" else (0, 0)
        stored = StoredFile(
            file_id=f"{kind[:3].upper()}{self._salt}{n:07d}",
            file_unique_id=f"U{self._salt}{n:07d}",
            file_path=f"{kind}s/file_{n}.{ext}",
            kind=kind,
            size=len(data) if data is not None else (size or 0),
            filename=filename,
            mime_type=mime_type,
            data=data if self.keep_bytes else None,
            url=url,
            width=width,
            height=height,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """Return the file with this `file_id`, if known."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """Return the file served under this path, if known."""
        return self._by_path.get(file_path)

    def __len__(self) -> int:
        return len(self._by_id)


def _extension(kind: str, filename: str | None) -> str:
    if filename and "." in filename:
        return filename.rsplit(".", 1)[1][:8] or "bin"
    return _EXTENSIONS.get(kind, "bin")


def image_size(data: bytes) -> tuple[int, int]:
    """Read width and height from PNG, GIF or JPEG bytes; (0, 0) when unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return 0, 0


def _jpeg_size(data: bytes) -> tuple[int, int]:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return 0, 0
        marker = data[i + 1]
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + length
    return 0, 0
