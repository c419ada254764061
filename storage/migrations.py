"""Apply the ordered, named migrations of ``storage.schema``, each in its own transaction.

Applied migrations are recorded in ``schema_migrations`` (version, name, checksum, time) and
mirrored in ``PRAGMA user_version``. Opening a database whose record disagrees with the code
(an edited or renamed migration, or a schema newer than the code) raises MigrationError.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence

import aiosqlite

from storage.errors import MigrationError
from storage.records import Clock
from storage.schema import Migration

_RECORD_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at REAL NOT NULL
)"""


def _check_order(migrations: Sequence[Migration]) -> None:
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise MigrationError(f"migration {migration.name} should have version {expected}")


async def _run(conn: aiosqlite.Connection, sql: str, params: Sequence[object] = ()) -> None:
    await conn.execute_fetchall(sql, params)


async def _rollback(conn: aiosqlite.Connection) -> None:
    with contextlib.suppress(sqlite3.OperationalError):  # BEGIN failed: nothing to undo
        await _run(conn, "ROLLBACK")


async def _applied(conn: aiosqlite.Connection) -> dict[int, tuple[str, str]]:
    rows = await conn.execute_fetchall(
        "SELECT version, name, checksum FROM schema_migrations ORDER BY version"
    )
    return {int(row[0]): (str(row[1]), str(row[2])) for row in rows}


def _verify(applied: dict[int, tuple[str, str]], migrations: Sequence[Migration]) -> None:
    known = {m.version: m for m in migrations}
    for version, (name, checksum) in applied.items():
        migration = known.get(version)
        if migration is None:
            raise MigrationError(
                f"database has migration {version} ({name}), newer than this code knows"
            )
        if (migration.name, migration.checksum) != (name, checksum):
            raise MigrationError(f"migration {migration.name} changed after it was applied")


async def apply_migrations(
    conn: aiosqlite.Connection, migrations: Sequence[Migration], clock: Clock
) -> list[str]:
    """Apply every migration not yet recorded, in order; return the names applied.

    The caller must hold the connection exclusively (no other coroutine may use it).
    """
    _check_order(migrations)
    await _run(conn, _RECORD_TABLE)
    _verify(await _applied(conn), migrations)
    done: list[str] = []
    for migration in migrations:
        try:
            await _run(conn, "BEGIN IMMEDIATE")
            # Re-read inside the write lock: another process may have just applied it.
            applied = await _applied(conn)
            _verify(applied, migrations)
            if migration.version in applied:
                await _run(conn, "COMMIT")
                continue
            for statement in migration.statements:
                await _run(conn, statement)
            await _run(
                conn,
                "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                " VALUES (?, ?, ?, ?)",
                (migration.version, migration.name, migration.checksum, clock()),
            )
            await _run(conn, f"PRAGMA user_version = {int(migration.version)}")
            await _run(conn, "COMMIT")
        except BaseException:
            await _rollback(conn)
            raise
        done.append(migration.name)
    return done
