"""Database: pragmas, serialised transactions, isolation of reads, error translation."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

import pytest

from storage.database import Database
from storage.errors import StorageError, StorageUnavailableError


async def _insert_user_then_fail(db: Database, user_id: int, *wait: asyncio.Event) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO users (user_id, created_at) VALUES (?, 0)", (user_id,))
        if wait:
            wait[0].set()
            await wait[1].wait()
        raise RuntimeError("boom")


async def _count_users(db: Database) -> int:
    row = await db.fetchone("SELECT count(*) FROM users")
    assert row is not None
    return int(row[0])


async def test_open_creates_parent_dirs_and_sets_pragmas(db: Database, db_path: Path) -> None:
    """open() creates missing directories and applies WAL, foreign keys, FULL sync, timeout."""
    assert db.path == db_path
    assert db_path.name in os.listdir(db_path.parent)
    pragmas = {}
    for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout"):
        row = await db.fetchone(f"PRAGMA {name}")
        assert row is not None
        pragmas[name] = row[0]
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 2,
        "busy_timeout": 5000,
    }


async def test_transaction_commits_on_success(db: Database) -> None:
    """Rows written inside a transaction are visible after it ends."""
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO users (user_id, created_at) VALUES (1, 0)")
    assert await _count_users(db) == 1


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    """An exception inside a transaction undoes all of its writes and propagates."""
    with pytest.raises(RuntimeError, match="boom"):
        await _insert_user_then_fail(db, 1)
    assert await _count_users(db) == 0


async def test_foreign_keys_are_enforced(db: Database) -> None:
    """A task for an unknown user violates the foreign key and becomes a StorageError."""
    with pytest.raises(StorageError, match="FOREIGN KEY"):
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO tasks (owner_id, chat_id, command_message_id, workflow_id, inputs,"
                " state, created_at, updated_at) VALUES (99, 1, 1, 'w', '{}', 'PENDING', 0, 0)"
            )


async def test_nested_transaction_is_refused_not_deadlocked(db: Database) -> None:
    """Opening a transaction inside one on the same task raises instead of hanging."""
    with pytest.raises(StorageError, match="nested"):
        async with db.transaction(), db.transaction():
            pass
    async with db.transaction() as conn:  # the lock was released
        await conn.execute("INSERT INTO users (user_id, created_at) VALUES (1, 0)")


async def test_owner_reads_its_own_writes_inside_a_transaction(db: Database) -> None:
    """fetchone from the task holding the transaction sees its uncommitted rows, no deadlock."""
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO users (user_id, created_at) VALUES (1, 0)")
        assert await _count_users(db) == 1


async def test_reads_never_see_another_coroutines_uncommitted_writes(db: Database) -> None:
    """A reader waits for a running transaction, so a rolled-back row is never observed."""
    inserted = asyncio.Event()
    release = asyncio.Event()

    task = asyncio.create_task(_insert_user_then_fail(db, 1, inserted, release))
    await inserted.wait()
    reader = asyncio.create_task(_count_users(db))
    await asyncio.sleep(0.01)
    assert not reader.done()
    release.set()
    assert await reader == 0
    with pytest.raises(RuntimeError, match="boom"):
        await task


async def test_cancelled_transaction_rolls_back_and_frees_the_connection(db: Database) -> None:
    """Cancelling a coroutine mid-transaction rolls back; the next transaction works."""
    inserted = asyncio.Event()

    async def victim() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO users (user_id, created_at) VALUES (1, 0)")
            inserted.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(victim())
    await inserted.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO users (user_id, created_at) VALUES (2, 0)")
    rows = await db.fetchall("SELECT user_id FROM users")
    assert [row[0] for row in rows] == [2]


async def test_locked_database_raises_storage_unavailable(db_path: Path) -> None:
    """When another connection holds the write lock past busy_timeout, callers get a
    retryable StorageUnavailableError."""
    db = await Database.open(db_path, busy_timeout_ms=50)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageUnavailableError, match="locked"):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO users (user_id, created_at) VALUES (1, 0)")
        other.execute("ROLLBACK")
        async with db.transaction() as conn:  # usable again once the lock is gone
            await conn.execute("INSERT INTO users (user_id, created_at) VALUES (1, 0)")
    finally:
        other.close()
        await db.close()


async def test_disk_full_raises_storage_unavailable(db: Database) -> None:
    """A full database (page limit reached) is a retryable StorageUnavailableError."""
    row = await db.fetchone("PRAGMA page_count")
    assert row is not None
    await db.fetchall(f"PRAGMA max_page_count = {int(row[0]) + 2}")
    with pytest.raises(StorageUnavailableError, match="full"):
        async with db.transaction() as conn:
            await conn.execute_fetchall(
                "INSERT INTO users (user_id, language, created_at) VALUES (?, ?, 0)",
                (1, "x" * 100_000),
            )
    assert await _count_users(db) == 0


async def test_read_errors_are_storage_errors(db: Database) -> None:
    """A failing read surfaces as StorageError, not a raw sqlite3 exception."""
    with pytest.raises(StorageError, match="no such table"):
        await db.fetchall("SELECT * FROM no_such_table")


async def test_unopenable_path_raises_storage_unavailable(tmp_path: Path) -> None:
    """A path whose parent cannot be created is reported as StorageUnavailableError."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageUnavailableError):
        await Database.open(blocker / "sub" / "ledger.sqlite3")


async def test_close_waits_for_running_transaction(db_path: Path) -> None:
    """close() lets the running transaction commit before closing the connection."""
    db = await Database.open(db_path)
    started = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as conn:
            started.set()
            await asyncio.sleep(0.01)
            await conn.execute("INSERT INTO users (user_id, created_at) VALUES (1, 0)")

    task = asyncio.create_task(writer())
    await started.wait()
    await db.close()
    await task
    reopened = await Database.open(db_path)
    assert await _count_users(reopened) == 1
    await reopened.close()


async def test_unopenable_file_raises_storage_unavailable(tmp_path: Path) -> None:
    """A path SQLite cannot open (here: a directory) is reported as StorageUnavailableError."""
    with pytest.raises(StorageUnavailableError, match="unable to open"):
        await Database.open(tmp_path)
