"""Write side of the task ledger: create (idempotent per command message), checked state
transitions, field updates and moving a chat's rows when Telegram migrates a group.

Every state change goes through ``transition``, which reads the current state inside the
write transaction and consults ``storage.states`` — the only place the rules live.
"""

from __future__ import annotations

import json
from typing import TypedDict, Unpack

import aiosqlite

from storage.errors import TaskNotFoundError
from storage.records import JsonValue, Task
from storage.states import TaskState, check_transition
from storage.task_queries import TaskQueries, row_to_task
from storage.users import insert_user_if_missing

_INITIAL = frozenset({TaskState.PENDING, TaskState.SUBMITTING})


class TaskFields(TypedDict, total=False):
    """Task columns a caller may set besides the state."""

    thread_id: int | None
    status_message_id: int | None
    remote_id: str | None
    attempts: int
    next_poll_at: float | None
    error_text: str | None
    cost_coins: float | None
    cost_seconds: float | None
    submitted_at: float | None
    delivered_at: float | None


_SETTABLE = frozenset(TaskFields.__optional_keys__)


def _assignments(fields: dict[str, object]) -> tuple[str, list[object]]:
    unknown = set(fields) - _SETTABLE
    if unknown:
        raise TypeError(f"not settable task fields: {sorted(unknown)}")
    names = sorted(fields)
    return ", ".join(f"{name} = ?" for name in names), [fields[name] for name in names]


async def _fetch(conn: aiosqlite.Connection, task_id: int) -> Task:
    rows = list(await conn.execute_fetchall("SELECT * FROM tasks WHERE task_id = ?", (task_id,)))
    if not rows:
        raise TaskNotFoundError(task_id)
    return row_to_task(rows[0])


class Tasks(TaskQueries):
    """The ``tasks`` table."""

    async def create(
        self,
        *,
        owner_id: int,
        chat_id: int,
        thread_id: int | None,
        command_message_id: int,
        workflow_id: str,
        inputs: JsonValue,
        state: TaskState = TaskState.PENDING,
        next_poll_at: float | None = None,
    ) -> tuple[Task, bool]:
        """Record a requested run; for a (chat, message) seen before, return that task.

        Returns ``(task, created)``; ``created`` is False for a duplicate update.
        ``next_poll_at`` on a PENDING task means "not before" (e.g. a capacity back-off).
        """
        if state not in _INITIAL:
            raise ValueError(f"a task starts PENDING or SUBMITTING, not {state}")
        text = json.dumps(inputs, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        now = self._clock()
        async with self._db.transaction() as conn:
            await insert_user_if_missing(conn, owner_id, now)
            cursor = await conn.execute(
                "INSERT INTO tasks (owner_id, chat_id, thread_id, command_message_id,"
                " workflow_id, inputs, state, next_poll_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (chat_id, command_message_id) DO NOTHING",
                (
                    owner_id,
                    chat_id,
                    thread_id,
                    command_message_id,
                    workflow_id,
                    text,
                    state.value,
                    next_poll_at,
                    now,
                    now,
                ),
            )
            created = cursor.rowcount == 1
            rows = await conn.execute_fetchall(
                "SELECT * FROM tasks WHERE chat_id = ? AND command_message_id = ?",
                (chat_id, command_message_id),
            )
        return row_to_task(next(iter(rows))), created

    async def transition(
        self, task_id: int, new_state: TaskState, **fields: Unpack[TaskFields]
    ) -> Task:
        """Move the task to ``new_state`` (checked) and set ``fields`` in one transaction.

        Entering QUEUED/RUNNING from elsewhere defaults ``next_poll_at`` to now, and
        ``submitted_at`` to now if it was never set; entering a terminal state clears
        ``next_poll_at`` and ``delivered_at`` unless given, so the new outcome is polled no
        more and gets delivered.
        """
        values: dict[str, object] = dict(fields)
        now = self._clock()
        async with self._db.transaction() as conn:
            current = await _fetch(conn, task_id)
            old = current.state
            check_transition(old, new_state, task_id)
            if new_state.is_polled and not old.is_polled:
                values.setdefault("next_poll_at", now)
                if current.submitted_at is None:
                    values.setdefault("submitted_at", now)
            if new_state.is_terminal:
                values.setdefault("next_poll_at", None)
                values.setdefault("delivered_at", None)
            sets, params = _assignments(values)
            await conn.execute_fetchall(
                f"UPDATE tasks SET state = ?, updated_at = ?{', ' if sets else ''}{sets}"  # noqa: S608
                " WHERE task_id = ?",
                [new_state.value, now, *params, task_id],
            )
            return await _fetch(conn, task_id)

    async def update(self, task_id: int, **fields: Unpack[TaskFields]) -> Task:
        """Set fields other than the state (any state, e.g. ``delivered_at`` on SUCCESS)."""
        sets, params = _assignments(dict(fields))
        if not sets:
            raise TypeError("update() needs at least one field")
        async with self._db.transaction() as conn:
            await _fetch(conn, task_id)
            await conn.execute_fetchall(
                f"UPDATE tasks SET updated_at = ?, {sets} WHERE task_id = ?",  # noqa: S608
                [self._clock(), *params, task_id],
            )
            return await _fetch(conn, task_id)

    async def poll_all_now(self) -> int:
        """Make every QUEUED/RUNNING task due at once; returns how many were moved forward."""
        now = self._clock()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE tasks SET next_poll_at = ?1 WHERE state IN ('QUEUED', 'RUNNING')"
                " AND (next_poll_at IS NULL OR next_poll_at > ?1)",
                (now,),
            )
            return cursor.rowcount

    async def retry_next_waiting(self, owner_id: int) -> bool:
        """A slot on `owner_id`'s API key has just freed: make the oldest PENDING task waiting
        out a backoff on that key (the owner's or a key-mate's) due now. One task per freed
        slot, so a team sharing a key does not answer one free slot with a burst of creates
        (and 421s). Returns whether a task was moved forward."""
        now = self._clock()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE tasks SET next_poll_at = ?1 WHERE task_id = (SELECT min(task_id)"
                " FROM tasks WHERE state = 'PENDING' AND next_poll_at > ?1 AND (owner_id = ?2"
                " OR owner_id IN (SELECT mate.user_id FROM api_keys AS own JOIN api_keys AS mate"
                " ON mate.key_ref = own.key_ref WHERE own.user_id = ?2)))",
                (now, owner_id),
            )
            return cursor.rowcount > 0

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """Move a migrated group's tasks, presets and settings to its new id.

        Returns how many tasks moved. Where the new chat already has a row with the same
        key (command message, preset name, settings), the new chat's row wins.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE OR IGNORE tasks SET chat_id = ? WHERE chat_id = ?",
                (new_chat_id, old_chat_id),
            )
            moved = cursor.rowcount
            await conn.execute_fetchall(
                "UPDATE OR IGNORE presets SET scope_id = ?"
                " WHERE scope_kind = 'chat' AND scope_id = ?",
                (new_chat_id, old_chat_id),
            )
            await conn.execute_fetchall(
                "DELETE FROM presets WHERE scope_kind = 'chat' AND scope_id = ?", (old_chat_id,)
            )
            await conn.execute_fetchall(
                "UPDATE OR IGNORE chat_settings SET chat_id = ? WHERE chat_id = ?",
                (new_chat_id, old_chat_id),
            )
            await conn.execute_fetchall(
                "DELETE FROM chat_settings WHERE chat_id = ?", (old_chat_id,)
            )
        return moved
