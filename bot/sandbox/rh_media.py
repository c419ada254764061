"""Deterministic result files: real PNG gradients (zlib + struct) and a tiny fake MP4."""

from __future__ import annotations

import hashlib
import struct
import zlib


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _colours(seed: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(seed.encode()).digest()
    return digest[0], digest[1], digest[2]


def png(width: int, height: int, seed: str) -> bytes:
    """An RGB PNG of `width`x`height`: a gradient whose colours depend only on `seed`.

    Rows after the first use PNG filter 2 ("Up"), so the file stays a few kilobytes.
    """
    width, height = max(1, width), max(1, height)
    red0, green0, blue = _colours(seed)
    reds = bytes((red0 + 255 * x // width) % 256 for x in range(width))
    blues = bytes([blue]) * width
    row = bytearray(3 * width)
    row[0::3] = reds
    row[2::3] = blues
    raw = bytearray()
    up = bytearray(3 * width)  # filter 2 ("Up"): later rows only differ in green
    previous = -1
    for y in range(height):
        green = (green0 + 255 * y // height) % 256
        if previous < 0:
            row[1::3] = bytes([green]) * width
            raw += b"\x00" + row
        else:
            up[1::3] = bytes([(green - previous) % 256]) * width
            raw += b"\x02" + up
        previous = green
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(raw), 1))
        + _chunk(b"IEND", b"")
    )


def fake_mp4(seed: str, size: int = 2048) -> bytes:
    """A small binary that starts like an MP4 (``ftyp`` box) but is not a playable video."""
    box = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    filler = hashlib.sha256(seed.encode()).digest() * (size // 32 + 1)
    return (box + filler)[:size]


def content_type(file_type: str) -> str:
    """The MIME type served for a result or upload extension."""
    return {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "webp": "image/webp",
        "gif": "image/gif",
        "mp4": "video/mp4",
        "txt": "text/plain; charset=utf-8",
        "mp3": "audio/mpeg",
        "wav": "audio/wav",
        "zip": "application/zip",
    }.get(file_type, "application/octet-stream")
