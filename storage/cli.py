"""Storage commands behind ``runninghub-bot gen-key`` and ``runninghub-bot rotate-keys``."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from storage.crypto import KeyCipher, generate_master_key
from storage.database import Database
from storage.keys import ApiKeys


def gen_key() -> str:
    """Return a fresh master key to put in front of BOT_MASTER_KEY."""
    return generate_master_key()


async def rotate_keys(db_path: str | Path, master_keys: Sequence[str]) -> int:
    """Re-encrypt every stored API key under the newest master key; return how many."""
    cipher = KeyCipher(master_keys)
    db = await Database.open(db_path)
    try:
        return await ApiKeys(db, cipher).rotate_all()
    finally:
        await db.close()


def rotate_keys_main(db_path: str | Path, master_keys: Sequence[str]) -> int:
    """Synchronous entry point for the CLI: run ``rotate_keys`` in a fresh event loop."""
    return asyncio.run(rotate_keys(db_path, master_keys))
