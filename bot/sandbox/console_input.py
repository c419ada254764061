"""Typed lines for the event loop, read in a thread so the loop never blocks on the terminal.

The reader is a daemon thread: a line being typed when the sandbox stops (`:quit`, Ctrl-C)
never keeps the process alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncGenerator
from typing import TextIO


async def read_lines(stream: TextIO) -> AsyncGenerator[str, None]:
    """Yield lines from `stream` (without the newline) until end of file."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody listens any more
            try:
                while line := stream.readline():
                    loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\r\n"))
            except (OSError, ValueError):  # the stream was closed under us
                pass
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="sandbox-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line
