"""Per-chat settings: which workflows a group allows (None = any)."""

from __future__ import annotations

import json
import time

from storage.database import Database
from storage.records import Clock


class ChatSettings:
    """The ``chat_settings`` table: which workflows a group allows (None = any)."""

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self._db = db
        self._clock = clock

    async def get_allowed(self, chat_id: int) -> list[str] | None:
        """The chat's allowed workflow ids, or None when unrestricted."""
        row = await self._db.fetchone(
            "SELECT allowed_workflows FROM chat_settings WHERE chat_id = ?", (chat_id,)
        )
        if row is None or row[0] is None:
            return None
        allowed: list[str] = json.loads(row[0])
        return allowed

    async def set_allowed(self, chat_id: int, workflow_ids: list[str] | None) -> None:
        """Restrict the chat to ``workflow_ids`` (None lifts the restriction)."""
        text = None if workflow_ids is None else json.dumps(list(workflow_ids))
        async with self._db.transaction() as conn:
            await conn.execute_fetchall(
                "INSERT INTO chat_settings (chat_id, allowed_workflows, updated_at)"
                " VALUES (?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET"
                " allowed_workflows = excluded.allowed_workflows,"
                " updated_at = excluded.updated_at",
                (chat_id, text, self._clock()),
            )
