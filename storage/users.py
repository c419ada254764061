"""Users: who the bot has seen, the language they chose and the one Telegram reports."""

from __future__ import annotations

import sqlite3
import time

import aiosqlite

from storage.database import Database
from storage.records import Clock, User

_SELECT = "SELECT * FROM users WHERE user_id = ?"


def row_to_user(row: sqlite3.Row) -> User:
    """Build a User from a ``users`` row."""
    return User(
        user_id=row["user_id"],
        language=row["language"],
        client_language=row["client_language"],
        created_at=row["created_at"],
    )


class Users:
    """The ``users`` table."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    async def get(self, user_id: int) -> User | None:
        """Return the user, or None if never seen."""
        row = await self._db.fetchone(_SELECT, (user_id,))
        return row_to_user(row) if row is not None else None

    async def ensure(self, user_id: int, language_code: str | None = None) -> User:
        """Return the user, inserting it if missing; record Telegram's language code.

        Writes only when something changed, so calling it on every update is cheap.
        """
        known = await self.get(user_id)
        if known is not None and (language_code is None or known.client_language == language_code):
            return known
        async with self._db.transaction() as conn:
            await conn.execute_fetchall(
                "INSERT INTO users (user_id, client_language, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET"
                " client_language = coalesce(excluded.client_language, client_language)",
                (user_id, language_code, self._clock()),
            )
            rows = await conn.execute_fetchall(_SELECT, (user_id,))
        return row_to_user(next(iter(rows)))

    async def set_language(self, user_id: int, language: str | None) -> User:
        """Set (or with None, clear) the chosen language, creating the user if needed."""
        async with self._db.transaction() as conn:
            await conn.execute_fetchall(
                "INSERT INTO users (user_id, language, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET language = excluded.language",
                (user_id, language, self._clock()),
            )
            rows = await conn.execute_fetchall(_SELECT, (user_id,))
        return row_to_user(next(iter(rows)))


async def insert_user_if_missing(conn: aiosqlite.Connection, user_id: int, now: float) -> None:
    """Inside a transaction: make sure a ``users`` row exists for a foreign key."""
    await conn.execute_fetchall(
        "INSERT INTO users (user_id, created_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING",
        (user_id, now),
    )
