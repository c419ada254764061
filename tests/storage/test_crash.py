"""A process killed in the middle of a transaction leaves the last committed state."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import storage
from storage.database import Database

REPO_ROOT = Path(storage.__file__).resolve().parents[1]

CRASHING_WRITER = """
import asyncio, os, signal, sys
from storage.database import Database

async def main(path):
    db = await Database.open(path)
    async with db.transaction() as conn:
        await conn.execute("UPDATE users SET language = 'committed' WHERE user_id = 2")
    async with db.transaction() as conn:
        await conn.execute("UPDATE users SET language = 'torn' WHERE user_id IN (1, 2)")
        await conn.executemany(
            "INSERT INTO users (user_id, language, created_at) VALUES (?, ?, 0)",
            [(i, "x" * 200) for i in range(100, 20100)],
        )
        os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main(sys.argv[1]))
"""


def _wal_size(db_path: Path) -> int:
    return db_path.with_name(db_path.name + "-wal").stat().st_size


async def test_sigkill_mid_transaction_keeps_previous_consistent_state(db_path: Path) -> None:
    """SIGKILL after a commit and mid-way through a big second transaction: the first
    survives, nothing of the second does, and the file passes an integrity check."""
    db = await Database.open(db_path)
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (user_id, language, created_at) VALUES (1, 'before', 0),"
            " (2, 'before', 0)"
        )
    await db.close()

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CRASHING_WRITER, str(db_path), cwd=REPO_ROOT
    )
    assert await asyncio.wait_for(process.wait(), timeout=30) == -signal.SIGKILL
    assert _wal_size(db_path) > 1_000_000  # uncommitted pages really reached the disk

    db = await Database.open(db_path)
    try:
        rows = await db.fetchall("SELECT user_id, language FROM users ORDER BY user_id")
        assert [tuple(row) for row in rows] == [(1, "before"), (2, "committed")]
        check = await db.fetchone("PRAGMA integrity_check")
        assert check is not None
        assert check[0] == "ok"
    finally:
        await db.close()
