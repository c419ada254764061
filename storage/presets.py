"""Presets: a named workflow with default inputs, saved for a user or for a chat.

``ChatSettings`` lives in ``storage.chat_settings`` and is re-exported here.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from storage.chat_settings import ChatSettings
from storage.database import Database
from storage.records import Clock, Preset, ScopeKind

__all__ = ["ChatSettings", "Presets"]

_SCOPES = ("user", "chat")


def _preset(row: sqlite3.Row) -> Preset:
    return Preset(
        preset_id=row["preset_id"],
        scope_kind=row["scope_kind"],
        scope_id=row["scope_id"],
        name=row["name"],
        workflow_id=row["workflow_id"],
        defaults_json=row["defaults"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _check_scope(scope_kind: str) -> None:
    if scope_kind not in _SCOPES:
        raise ValueError(f"scope_kind must be 'user' or 'chat', not {scope_kind!r}")


class Presets:
    """The ``presets`` table: unique by (scope kind, scope id, name)."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    async def save(
        self,
        scope_kind: ScopeKind,
        scope_id: int,
        name: str,
        workflow_id: str,
        defaults: dict[str, Any],
    ) -> Preset:
        """Create the preset, or replace its workflow and defaults if the name exists."""
        _check_scope(scope_kind)
        text = json.dumps(defaults, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        now = self._clock()
        async with self._db.transaction() as conn:
            await conn.execute_fetchall(
                "INSERT INTO presets (scope_kind, scope_id, name, workflow_id, defaults,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (scope_kind, scope_id, name) DO UPDATE SET"
                " workflow_id = excluded.workflow_id, defaults = excluded.defaults,"
                " updated_at = excluded.updated_at",
                (scope_kind, scope_id, name, workflow_id, text, now, now),
            )
            rows = await conn.execute_fetchall(
                "SELECT * FROM presets WHERE scope_kind = ? AND scope_id = ? AND name = ?",
                (scope_kind, scope_id, name),
            )
        return _preset(next(iter(rows)))

    async def get(self, scope_kind: ScopeKind, scope_id: int, name: str) -> Preset | None:
        """Return the preset, or None."""
        row = await self._db.fetchone(
            "SELECT * FROM presets WHERE scope_kind = ? AND scope_id = ? AND name = ?",
            (scope_kind, scope_id, name),
        )
        return _preset(row) if row is not None else None

    async def list(self, scope_kind: ScopeKind, scope_id: int) -> list[Preset]:
        """All presets of the scope, by name."""
        rows = await self._db.fetchall(
            "SELECT * FROM presets WHERE scope_kind = ? AND scope_id = ? ORDER BY name",
            (scope_kind, scope_id),
        )
        return [_preset(row) for row in rows]

    async def delete(self, scope_kind: ScopeKind, scope_id: int, name: str) -> bool:
        """Delete the preset; True if it existed."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM presets WHERE scope_kind = ? AND scope_id = ? AND name = ?",
                (scope_kind, scope_id, name),
            )
            return cursor.rowcount > 0
