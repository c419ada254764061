"""Outputs of tasks and their delivery to Telegram (file ids kept to resend and share inline)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence

from storage.database import Database
from storage.records import Clock, NewOutput, Output


def _output(row: sqlite3.Row) -> Output:
    return Output(
        output_id=row["output_id"],
        task_id=row["task_id"],
        index=row["idx"],
        url=row["url"],
        file_type=row["file_type"],
        node_id=row["node_id"],
        text=row["text"],
        size_bytes=row["size_bytes"],
        delivered_at=row["delivered_at"],
        telegram_file_id=row["telegram_file_id"],
        delivered_kind=row["delivered_kind"],
        created_at=row["created_at"],
    )


class Outputs:
    """The ``outputs`` table."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    async def add_many(self, task_id: int, outputs: Sequence[NewOutput]) -> list[Output]:
        """Store a task's outputs; idempotent per (task, index).

        Returns all of the task's outputs in index order.
        """
        now = self._clock()
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO outputs (task_id, idx, url, file_type, node_id, text, size_bytes,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (task_id, idx) DO NOTHING",
                [
                    (
                        task_id,
                        position if o.index is None else o.index,
                        o.url,
                        o.file_type,
                        o.node_id,
                        o.text,
                        o.size_bytes,
                        now,
                    )
                    for position, o in enumerate(outputs)
                ],
            )
            rows = await conn.execute_fetchall(
                "SELECT * FROM outputs WHERE task_id = ? ORDER BY idx", (task_id,)
            )
        return [_output(row) for row in rows]

    async def for_task(self, task_id: int) -> list[Output]:
        """The task's outputs in index order."""
        rows = await self._db.fetchall(
            "SELECT * FROM outputs WHERE task_id = ? ORDER BY idx", (task_id,)
        )
        return [_output(row) for row in rows]

    async def undelivered(self, task_id: int) -> list[Output]:
        """The task's outputs not yet delivered, in index order."""
        rows = await self._db.fetchall(
            "SELECT * FROM outputs WHERE task_id = ? AND delivered_at IS NULL ORDER BY idx",
            (task_id,),
        )
        return [_output(row) for row in rows]

    async def mark_delivered(
        self, output_id: int, telegram_file_id: str | None = None, kind: str | None = None
    ) -> Output | None:
        """Record delivery (first time kept) and how it was sent; None if no such output."""
        async with self._db.transaction() as conn:
            await conn.execute_fetchall(
                "UPDATE outputs SET delivered_at = coalesce(delivered_at, ?),"
                " telegram_file_id = coalesce(?, telegram_file_id),"
                " delivered_kind = coalesce(?, delivered_kind) WHERE output_id = ?",
                (self._clock(), telegram_file_id, kind, output_id),
            )
            rows = list(
                await conn.execute_fetchall(
                    "SELECT * FROM outputs WHERE output_id = ?", (output_id,)
                )
            )
        return _output(rows[0]) if rows else None

    async def shareable(self, owner_id: int, limit: int = 50, offset: int = 0) -> list[Output]:
        """The owner's delivered outputs with a Telegram file id, newest first (inline mode)."""
        rows = await self._db.fetchall(
            "SELECT o.* FROM outputs AS o JOIN tasks AS t ON t.task_id = o.task_id"
            " WHERE t.owner_id = ? AND o.telegram_file_id IS NOT NULL"
            " ORDER BY o.delivered_at DESC, o.output_id DESC LIMIT ? OFFSET ?",
            (owner_id, limit, offset),
        )
        return [_output(row) for row in rows]
