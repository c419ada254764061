"""The one SQLite connection of the process: pragmas, migrations, serialised transactions.

Coroutines share the connection, and SQLite transactions belong to the connection, not to a
coroutine. So every write runs inside ``transaction()``: an asyncio lock, ``BEGIN IMMEDIATE``
(a deferred read->write upgrade would fail at once with "database is locked"), then COMMIT or
ROLLBACK. Reads (``fetchone``/``fetchall``) take the same lock, so they never see another
coroutine's uncommitted writes; inside a transaction, the owning task reads through the
connection it was given. Never await network I/O inside a transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.errors import StorageError, StorageUnavailableError
from storage.migrations import apply_migrations
from storage.records import Clock
from storage.schema import MIGRATIONS, Migration

log = logging.getLogger(__name__)

_TRANSIENT = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN")


def translate_error(exc: sqlite3.Error) -> StorageError:
    """Map a sqlite3 error to the storage tree (busy/locked/full/I/O -> unavailable)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if isinstance(exc, sqlite3.OperationalError) and name.startswith(_TRANSIENT):
        return StorageUnavailableError(f"database unavailable: {exc}")
    return StorageError(f"database error: {exc}")


async def _join_worker(conn: aiosqlite.Connection) -> None:
    # A failed connect leaves aiosqlite's worker thread stopping on its own; let it finish
    # while the loop is alive, or it reports "Event loop is closed" from its thread.
    worker = getattr(conn, "_thread", None)
    if isinstance(worker, threading.Thread) and worker.is_alive():
        await asyncio.to_thread(worker.join, 5.0)


class Database:
    """One aiosqlite connection with WAL, foreign keys, FULL sync and a write lock."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        """Wrap an open connection; use ``Database.open`` instead."""
        self._conn = conn
        self._path = path
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        busy_timeout_ms: int = 5000,
        migrations: Sequence[Migration] = MIGRATIONS,
        clock: Clock = time.time,
    ) -> Database:
        """Open (creating parent directories), set the pragmas and apply the migrations."""
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailableError(f"cannot create {target.parent}: {exc}") from exc
        conn = aiosqlite.connect(target, isolation_level=None)
        try:
            await conn
        except sqlite3.Error as exc:
            await _join_worker(conn)
            raise translate_error(exc) from exc
        conn.row_factory = sqlite3.Row
        try:
            for pragma in (
                f"PRAGMA busy_timeout = {int(busy_timeout_ms)}",
                "PRAGMA journal_mode = WAL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA synchronous = FULL",
            ):
                await conn.execute_fetchall(pragma)
            await apply_migrations(conn, migrations, clock)
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, sqlite3.Error):
                raise translate_error(exc) from exc
            raise
        return cls(conn, target)

    @property
    def path(self) -> Path:
        """Where the database file lives."""
        return self._path

    async def set_trace_callback(self, callback: Callable[[str], object] | None) -> None:
        """Have every SQL statement (values expanded) passed to ``callback``; None stops it.

        For debugging and tests only: statements include the values they write.
        """
        await self._conn.set_trace_callback(callback)  # type: ignore[arg-type]

    async def close(self) -> None:
        """Wait for the running transaction, then close the connection."""
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Hold the write lock inside ``BEGIN IMMEDIATE``; commit, or roll back on error."""
        if self._owner is not None and self._owner is asyncio.current_task():
            raise StorageError("nested transaction: use the connection you were given")
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                try:
                    # Each call queues one operation before its first suspension, so even
                    # under cancellation BEGIN/ROLLBACK reach the connection in order.
                    await self._conn.execute_fetchall("BEGIN IMMEDIATE")
                    yield self._conn
                    await self._conn.execute_fetchall("COMMIT")
                except BaseException:
                    await self._rollback()
                    raise
            except sqlite3.Error as exc:
                raise translate_error(exc) from exc
            finally:
                self._owner = None

    async def _rollback(self) -> None:
        # OperationalError: no transaction was active (BEGIN failed, or COMMIT ended it).
        with contextlib.suppress(sqlite3.OperationalError):
            await self._conn.execute_fetchall("ROLLBACK")

    async def fetchall(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Run a read and return every row (waits for any running transaction)."""
        if self._owner is not None and self._owner is asyncio.current_task():
            return await self._fetchall(sql, params)
        async with self._lock:
            return await self._fetchall(sql, params)

    async def fetchone(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Row | None:
        """Run a read and return its first row, or None."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def _fetchall(self, sql: str, params: Sequence[object]) -> list[sqlite3.Row]:
        try:
            rows = await self._conn.execute_fetchall(sql, params)
        except sqlite3.Error as exc:
            raise translate_error(exc) from exc
        return list(rows)
