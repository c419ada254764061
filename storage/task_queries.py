"""Read side of the task ledger: the indexed queries the bot and the poller need."""

from __future__ import annotations

import sqlite3
import time

from storage.database import Database
from storage.records import Clock, Task
from storage.states import TaskState


def row_to_task(row: sqlite3.Row) -> Task:
    """Build a Task from a ``tasks`` row."""
    return Task(
        task_id=row["task_id"],
        owner_id=row["owner_id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        command_message_id=row["command_message_id"],
        status_message_id=row["status_message_id"],
        workflow_id=row["workflow_id"],
        inputs_json=row["inputs"],
        remote_id=row["remote_id"],
        state=TaskState(row["state"]),
        attempts=row["attempts"],
        next_poll_at=row["next_poll_at"],
        error_text=row["error_text"],
        cost_coins=row["cost_coins"],
        cost_seconds=row["cost_seconds"],
        submitted_at=row["submitted_at"],
        delivered_at=row["delivered_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class TaskQueries:
    """Read-only queries over ``tasks``; ``Tasks`` adds the writes."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    async def _many(self, sql: str, params: tuple[object, ...]) -> list[Task]:
        return [row_to_task(row) for row in await self._db.fetchall(sql, params)]

    async def _one(self, sql: str, params: tuple[object, ...]) -> Task | None:
        row = await self._db.fetchone(sql, params)
        return row_to_task(row) if row is not None else None

    async def get(self, task_id: int) -> Task | None:
        """Return the task, or None."""
        return await self._one("SELECT * FROM tasks WHERE task_id = ?", (task_id,))

    async def get_for_owner(self, task_id: int, owner_id: int) -> Task | None:
        """Return the task only if ``owner_id`` owns it."""
        return await self._one(
            "SELECT * FROM tasks WHERE task_id = ? AND owner_id = ?", (task_id, owner_id)
        )

    async def by_command(self, chat_id: int, command_message_id: int) -> Task | None:
        """Return the task created from this command message, if any."""
        return await self._one(
            "SELECT * FROM tasks WHERE chat_id = ? AND command_message_id = ?",
            (chat_id, command_message_id),
        )

    async def by_remote_id_for_owner(self, remote_id: str, owner_id: int) -> Task | None:
        """Return the owner's newest task with this RunningHub task id, or None."""
        return await self._one(
            "SELECT * FROM tasks WHERE remote_id = ? AND owner_id = ?"
            " ORDER BY task_id DESC LIMIT 1",
            (remote_id, owner_id),
        )

    async def by_remote_id(self, remote_id: str) -> Task | None:
        """Return the newest task with this RunningHub task id, whoever owns it (webhooks)."""
        return await self._one(
            "SELECT * FROM tasks WHERE remote_id = ? ORDER BY task_id DESC LIMIT 1", (remote_id,)
        )

    async def due(self, now: float, limit: int = 100) -> list[Task]:
        """QUEUED/RUNNING tasks whose next poll time has come, soonest first."""
        return await self._many(
            "SELECT * FROM tasks INDEXED BY tasks_due"
            " WHERE state IN ('QUEUED', 'RUNNING') AND next_poll_at <= ?"
            " ORDER BY next_poll_at, task_id LIMIT ?",
            (now, limit),
        )

    async def pending(
        self, owner_id: int | None = None, key_ref: str | None = None, limit: int = -1
    ) -> list[Task]:
        """PENDING tasks in arrival order, optionally of one owner and/or one API key."""
        return await self._many(
            "SELECT t.* FROM tasks AS t LEFT JOIN api_keys AS k ON k.user_id = t.owner_id"
            " WHERE t.state = 'PENDING' AND (?1 IS NULL OR t.owner_id = ?1)"
            " AND (?2 IS NULL OR k.key_ref = ?2) ORDER BY t.task_id LIMIT ?3",
            (owner_id, key_ref, limit),
        )

    async def first_pending_per_owner(self) -> list[Task]:
        """Each owner's oldest PENDING task (the next one to submit), in arrival order.

        What the poller needs on every pass, without loading every task a user has queued.
        """
        return await self._many(
            "SELECT * FROM tasks WHERE task_id IN (SELECT min(task_id) FROM tasks"
            " WHERE state = 'PENDING' GROUP BY owner_id) ORDER BY task_id",
            (),
        )

    async def active_count(self, owner_id: int | None = None, key_ref: str | None = None) -> int:
        """How many SUBMITTING/QUEUED/RUNNING tasks the owner and/or API key has."""
        row = await self._db.fetchone(
            "SELECT count(*) FROM tasks AS t LEFT JOIN api_keys AS k ON k.user_id = t.owner_id"
            " WHERE t.state IN ('SUBMITTING', 'QUEUED', 'RUNNING')"
            " AND (?1 IS NULL OR t.owner_id = ?1) AND (?2 IS NULL OR k.key_ref = ?2)",
            (owner_id, key_ref),
        )
        return int(row[0]) if row is not None else 0

    async def recent(self, owner_id: int, limit: int = 10) -> list[Task]:
        """The owner's newest tasks first."""
        return await self._many(
            "SELECT * FROM tasks WHERE owner_id = ? ORDER BY task_id DESC LIMIT ?",
            (owner_id, limit),
        )

    async def undelivered(self, limit: int = -1) -> list[Task]:
        """Finished or stopped tasks whose outcome was not fully delivered, oldest first."""
        return await self._many(
            "SELECT * FROM tasks INDEXED BY tasks_undelivered WHERE delivered_at IS NULL"
            " AND state IN ('SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'UNKNOWN')"
            " ORDER BY task_id LIMIT ?",
            (limit,),
        )

    async def in_state(self, state: TaskState, limit: int = -1) -> list[Task]:
        """Tasks in ``state``, oldest first (e.g. SUBMITTING ones to reconcile on start)."""
        return await self._many(
            "SELECT * FROM tasks WHERE state = ? ORDER BY task_id LIMIT ?", (state.value, limit)
        )

    async def search(self, owner_id: int, text: str, limit: int = 20) -> list[Task]:
        """The owner's tasks whose id, remote id or workflow id matches ``text``, newest first."""
        needle = text.strip().lstrip("#")
        task_id = int(needle) if needle.isdigit() and len(needle) < 19 else None
        return await self._many(
            "SELECT * FROM tasks WHERE owner_id = ? AND (task_id = ?"
            " OR remote_id LIKE ? ESCAPE '\\' OR workflow_id LIKE ? ESCAPE '\\')"
            " ORDER BY task_id DESC LIMIT ?",
            (owner_id, task_id, _like(needle), _like(needle), limit),
        )
