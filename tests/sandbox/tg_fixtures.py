"""Helpers for the fake Telegram server tests: PTB clients pointed at it, images, a clock."""

from __future__ import annotations

import os
import struct
import zlib
from typing import Any

from telegram import Bot
from telegram.ext import Application, ApplicationBuilder
from telegram.request import HTTPXRequest

from bot.sandbox.telegram_emulator import TelegramEmulator

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta, no warning


class ManualClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


def png(width: int = 4, height: int = 3) -> bytes:
    """A valid PNG of the given size (one grey row per line)."""
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def request(read_timeout: float = 5.0) -> HTTPXRequest:
    """An HTTPXRequest that ignores proxy variables (the emulator is on loopback)."""
    return HTTPXRequest(read_timeout=read_timeout, httpx_kwargs={"trust_env": False})


def make_bot(emu: TelegramEmulator, *, token: str | None = None, read_timeout: float = 5.0) -> Bot:
    """A PTB Bot talking to the emulator."""
    return Bot(
        token or emu.token,
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        request=request(read_timeout),
        get_updates_request=request(),
    )


def make_application(emu: TelegramEmulator) -> AnyApplication:
    """A PTB Application talking to the emulator, without JobQueue or rate limiter."""
    return (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .request(request())
        .get_updates_request(request())
        .job_queue(None)
        .build()
    )
