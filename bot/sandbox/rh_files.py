"""Uploaded files, signed expiring URLs on the emulator's origin, and multipart reading.

URLs look like ``{base}/files/<path>?expires=<clock seconds>&sign=<hmac>``; `expires` is on
the emulator clock (monotonic by default, not wall time). Paths: ``api/<sha256>.<ext>`` (v1
uploads), ``openapi/<hash>.<ext>`` (v2 uploads), ``output/<taskId>/<index>.<ext>`` (results).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from aiohttp import BodyPartReader, web

from bot.sandbox.rh_codes import ApiError

KINDS = {
    "image": ("png", "jpg", "jpeg", "webp", "gif", "bmp"),
    "video": ("mp4", "avi", "mov", "mkv", "webm"),
    "audio": ("mp3", "wav", "flac", "ogg"),
    "zip": ("zip",),
}


def kind_of(ext: str) -> str:
    """The upload `type` of an extension ("image", "video", "audio", "zip" or "file")."""
    return next((kind for kind, exts in KINDS.items() if ext in exts), "file")


class Signer:
    """Signs and checks file URLs with a per-emulator secret."""

    def __init__(self, clock: Callable[[], float], ttl: float) -> None:
        self._secret = secrets.token_bytes(32)
        self._clock = clock
        self._ttl = ttl

    def _sign(self, path: str, expires: str) -> str:
        message = f"{path}|{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def url(self, base_url: str, path: str) -> str:
        """A URL for `path` valid for the configured TTL from now."""
        expires = f"{self._clock() + self._ttl:.3f}"
        query = urlencode({"expires": expires, "sign": self._sign(path, expires)})
        return f"{base_url}/files/{path}?{query}"

    def valid(self, path: str, expires: str, sign: str) -> bool:
        """Whether the signature matches and the URL has not expired."""
        if not hmac.compare_digest(self._sign(path, expires), sign):
            return False
        try:
            return float(expires) > self._clock()
        except ValueError:
            return False


@dataclass(eq=False)
class UploadedFile:
    """An uploaded file, owned by the key that uploaded it."""

    name: str
    data: bytes = field(repr=False)
    owner: str = field(repr=False)


class UploadStore:
    """Uploaded files by fileName."""

    def __init__(self) -> None:
        self.files: dict[str, UploadedFile] = {}

    def put(self, prefix: str, data: bytes, ext: str, owner: str) -> UploadedFile:
        """Store `data` as ``<prefix>/<hash>.<ext>`` (sha256, or its first 32 hex for v2)."""
        digest = hashlib.sha256(data).hexdigest()
        name = f"{prefix}/{digest if prefix == 'api' else digest[:32]}.{ext}"
        self.files[name] = UploadedFile(name, data, owner)
        return self.files[name]

    def owned(self, value: str, owner: str) -> bool:
        """Whether `value` (a fileName or one of our file URLs) was uploaded by `owner`."""
        if "/files/" in value:
            value = value.split("/files/", 1)[1].split("?", 1)[0]
        found = self.files.get(value)
        return found is not None and found.owner == owner


@dataclass
class Multipart:
    """A read multipart form: text fields plus the ``file`` part (truncated once too big)."""

    fields: dict[str, str]
    filename: str
    data: bytes
    size: int


async def read_multipart(request: web.Request, limit: int) -> Multipart:
    """Read a multipart body, keeping at most `limit` file bytes (the rest is counted only)."""
    if not request.content_type.startswith("multipart/"):
        raise ApiError(301, "multipart/form-data expected")
    reader = await request.multipart()
    form = Multipart({}, "", b"", 0)
    buffer = bytearray()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name != "file":
            form.fields[part.name or ""] = await part.text()
            continue
        form.filename = part.filename or "upload.bin"
        while chunk := await part.read_chunk(256 * 1024):
            form.size += len(chunk)
            if form.size <= limit:
                buffer += chunk
    form.data = bytes(buffer)
    return form


def extension(filename: str) -> str:
    """The lower-case extension of `filename` ("bin" when it has none)."""
    stem, dot, ext = filename.rpartition(".")
    return ext.lower() if dot and stem and ext.isalnum() else "bin"
