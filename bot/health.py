"""Liveness for container health checks: the running bot touches a heartbeat file; the
`runninghub-bot healthcheck` command reports healthy while the file is fresh."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path


def heartbeat_path(database_path: Path) -> Path:
    """The heartbeat file sits next to the database (on the same volume)."""
    return database_path.with_name(database_path.name + ".alive")


async def beat(path: Path, interval: float = 15.0) -> None:
    """Touch `path` every `interval` seconds until cancelled."""
    while True:
        await asyncio.to_thread(path.touch)
        await asyncio.sleep(interval)


def is_alive(path: Path, max_age: float = 90.0, now: float | None = None) -> bool:
    """True when the heartbeat file was touched within `max_age` seconds."""
    try:
        age = (time.time() if now is None else now) - path.stat().st_mtime
    except OSError:
        return False
    return age <= max_age
