"""Migrations: ordered, named, recorded, each in its own transaction, never edited."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from storage.database import Database
from storage.errors import MigrationError, StorageError
from storage.schema import MIGRATIONS, Migration


def _schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master"
            " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
    finally:
        conn.close()
    return [(str(t), str(n), str(s)) for t, n, s in rows]


def _recorded(path: Path) -> tuple[int, list[tuple[int, str]]]:
    conn = sqlite3.connect(path)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version")
        return version, [(int(v), str(n)) for v, n in rows]
    finally:
        conn.close()


def test_migrations_are_numbered_in_order_with_unique_names() -> None:
    """Versions run 1..N without gaps and every name starts with its zero-padded number."""
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert len(MIGRATIONS) >= 2
    for migration in MIGRATIONS:
        assert migration.name.startswith(f"{migration.version:04d}_")


async def test_empty_file_gets_every_migration_recorded(db_path: Path) -> None:
    """A new database gets all migrations, each recorded by name, and user_version = N."""
    db = await Database.open(db_path)
    await db.close()
    assert _recorded(db_path) == (
        len(MIGRATIONS),
        [(m.version, m.name) for m in MIGRATIONS],
    )


async def test_zero_byte_file_is_migrated(tmp_path: Path) -> None:
    """An existing but empty file (e.g. created by a deploy script) gets the full schema."""
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    db = await Database.open(path)
    await db.close()
    assert _recorded(path)[0] == len(MIGRATIONS)


async def test_reopening_applies_nothing_twice(db_path: Path) -> None:
    """Opening an up-to-date database changes neither schema nor records."""
    db = await Database.open(db_path)
    await db.close()
    before = (_schema(db_path), _recorded(db_path))
    db = await Database.open(db_path)
    await db.close()
    assert (_schema(db_path), _recorded(db_path)) == before


@pytest.mark.parametrize("step", range(len(MIGRATIONS)))
async def test_upgrade_from_every_earlier_step(tmp_path: Path, step: int) -> None:
    """A database left at any earlier step upgrades to exactly the fresh schema, keeping data."""
    fresh = tmp_path / "fresh.sqlite3"
    db = await Database.open(fresh)
    await db.close()

    old = tmp_path / "old.sqlite3"
    db = await Database.open(old, migrations=MIGRATIONS[:step])
    if step >= 1:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (user_id, language, created_at) VALUES (7, 'ru', 1)"
            )
    await db.close()
    assert _recorded(old)[0] == step

    db = await Database.open(old)
    if step >= 1:
        row = await db.fetchone("SELECT language FROM users WHERE user_id = 7")
        assert row is not None
        assert row[0] == "ru"
    await db.close()
    assert _schema(old) == _schema(fresh)
    assert _recorded(old) == _recorded(fresh)


async def test_edited_migration_is_detected(db_path: Path) -> None:
    """Changing a released migration's statements makes open() fail loudly."""
    db = await Database.open(db_path)
    await db.close()
    edited = dataclasses.replace(
        MIGRATIONS[0], statements=(*MIGRATIONS[0].statements, "CREATE TABLE extra (a)")
    )
    with pytest.raises(MigrationError, match="changed after it was applied"):
        await Database.open(db_path, migrations=(edited, *MIGRATIONS[1:]))


async def test_database_newer_than_code_is_refused(db_path: Path) -> None:
    """Code that knows fewer migrations than the file has applied refuses to open it."""
    db = await Database.open(db_path)
    await db.close()
    with pytest.raises(MigrationError, match="newer than this code"):
        await Database.open(db_path, migrations=MIGRATIONS[:1])


async def test_misnumbered_migrations_are_refused(db_path: Path) -> None:
    """A migration list with a gap in its versions is a programming error caught at open."""
    gap = Migration(len(MIGRATIONS) + 2, "9999_gap", ("CREATE TABLE gap (a)",))
    with pytest.raises(MigrationError, match="should have version"):
        await Database.open(db_path, migrations=(*MIGRATIONS, gap))


async def test_failing_migration_leaves_the_previous_step_intact(db_path: Path) -> None:
    """A migration that fails halfway is rolled back whole and not recorded."""
    broken = Migration(
        len(MIGRATIONS) + 1,
        "9999_broken",
        ("CREATE TABLE half_done (a)", "INSERT INTO no_such_table VALUES (1)"),
    )
    with pytest.raises(StorageError, match="no such table"):
        await Database.open(db_path, migrations=(*MIGRATIONS, broken))
    assert _recorded(db_path)[0] == len(MIGRATIONS)
    assert "half_done" not in [name for _, name, _ in _schema(db_path)]
