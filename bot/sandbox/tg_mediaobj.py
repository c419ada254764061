"""Telegram media objects (PhotoSize list, Document, Video, …) built from stored files."""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.sandbox.tg_decode import UploadedFile
from bot.sandbox.tg_files import FileStore, StoredFile

JSON = dict[str, Any]
DEFAULT_MIME = {
    "photo": "image/jpeg", "video": "video/mp4", "animation": "video/mp4",
    "audio": "audio/mpeg", "voice": "audio/ogg", "document": "application/octet-stream",
}  # fmt: skip
DEFAULT_SIZE = {"photo": (1280, 960), "video": (1280, 720), "animation": (480, 480)}


def guess_mime(kind: str, filename: str | None, content_type: str | None) -> str:
    """The MIME type of a file: the part's type, else a guess from the name, else the kind's."""
    if content_type and content_type != "application/octet-stream":
        return content_type
    guessed = mimetypes.guess_type(filename or "")[0]
    return guessed or DEFAULT_MIME.get(kind, "application/octet-stream")


def store_upload(store: FileStore, kind: str, upload: UploadedFile) -> StoredFile:
    """Store an uploaded part as a file of `kind` (photos also get a thumbnail size)."""
    data = upload.data if store.keep_bytes else None
    stored = store.add(
        kind,
        data=data,
        size=upload.size,
        filename=upload.filename,
        mime_type=guess_mime(kind, upload.filename, upload.content_type),
    )
    if kind == "photo":
        stored.thumb = store.add("photo", data=data, size=upload.size, mime_type="image/jpeg")
    return stored


def _base(stored: StoredFile) -> JSON:
    obj: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    if stored.size:
        obj["file_size"] = stored.size
    return obj


def _dimensions(stored: StoredFile, kind: str, params: JSON) -> tuple[int, int]:
    width = int(params.get("width") or stored.width or DEFAULT_SIZE.get(kind, (640, 480))[0])
    height = int(params.get("height") or stored.height or DEFAULT_SIZE.get(kind, (640, 480))[1])
    return width, height


def photo_sizes(stored: StoredFile, params: JSON | None = None) -> list[JSON]:
    """The `photo` array: a small size (if any) then the full size, largest last."""
    width, height = _dimensions(stored, "photo", params or {})
    sizes: list[JSON] = []
    if stored.thumb is not None:
        scale = min(1.0, 320 / max(width, height, 1))
        small = _base(stored.thumb)
        small.update(width=max(1, round(width * scale)), height=max(1, round(height * scale)))
        sizes.append(small)
    full = _base(stored)
    full.update(width=width, height=height)
    sizes.append(full)
    return sizes


def media_fields(kind: str, stored: StoredFile, params: JSON | None = None) -> JSON:
    """Message fields carrying one file of `kind` ("photo", "video", "document", …)."""
    params = params or {}
    if kind == "photo":
        return {"photo": photo_sizes(stored, params)}
    obj = _base(stored)
    obj["mime_type"] = stored.mime_type or DEFAULT_MIME.get(kind, "application/octet-stream")
    if stored.filename and kind != "voice":
        obj["file_name"] = stored.filename
    if kind in ("video", "animation"):
        obj["width"], obj["height"] = _dimensions(stored, kind, params)
    if kind in ("video", "animation", "audio", "voice"):
        obj["duration"] = int(params.get("duration") or 1)
    if kind == "audio":
        obj.update({k: params[k] for k in ("performer", "title") if params.get(k)})
    fields: JSON = {kind: obj}
    if kind == "animation":
        skip = ("width", "height", "duration")
        fields["document"] = {k: v for k, v in obj.items() if k not in skip}
    return fields
