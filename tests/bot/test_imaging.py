"""Image sizes read from headers decide photo vs document."""

from __future__ import annotations

import struct

from bot.services.delivery import Kind, classify
from bot.services.imaging import image_size
from storage.records import Output


def _png(width: int, height: int) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + struct.pack(">II", width, height)
        + b"\x08\x02\x00\x00\x00"
    )


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc0" + struct.pack(">HBHH", 17, 8, height, width) + b"\x00" * 10
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def _webp_vp8x(width: int, height: int) -> bytes:
    body = b"VP8X" + struct.pack("<I", 10) + b"\x00" * 4
    body += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


def _output(file_type: str) -> Output:
    return Output(1, 1, 0, "u", file_type, "9", None, None, None, None, None, 0.0)


def test_sizes_of_png_jpeg_and_webp() -> None:
    """PNG, JPEG and WebP headers give their width and height; garbage gives None."""
    assert image_size(_png(640, 480)) == (640, 480)
    assert image_size(_jpeg(1024, 768)) == (1024, 768)
    assert image_size(_webp_vp8x(300, 200)) == (300, 200)
    assert image_size(b"not an image") is None


def test_classify_by_type_size_and_shape() -> None:
    """Normal images are photos; extreme shapes, unknown images and big files are documents."""
    assert classify(_output("png"), _png(512, 512)) is Kind.PHOTO
    assert classify(_output("png"), _png(9000, 2000)) is Kind.DOCUMENT
    assert classify(_output("png"), _png(4000, 100)) is Kind.DOCUMENT
    assert classify(_output("png"), b"garbage") is Kind.DOCUMENT
    assert classify(_output("png"), _png(512, 512) + b"\x00" * (11 * 1024 * 1024)) is Kind.DOCUMENT
    assert classify(_output("gif"), b"GIF89a") is Kind.ANIMATION
    assert classify(_output("mp4"), b"\x00") is Kind.VIDEO
    assert classify(_output("mp3"), b"\x00") is Kind.AUDIO
    assert classify(_output("wav"), b"\x00") is Kind.DOCUMENT
    assert classify(_output("latent"), b"\x00") is Kind.DOCUMENT
