"""Chats: per-chat settings (which workflows may run there) and group → supergroup migration."""

from __future__ import annotations

from storage.chat_settings import ChatSettings
from storage.tasks import Tasks


class Chats:
    """Use cases about a chat rather than a user."""

    def __init__(self, settings: ChatSettings, tasks: Tasks) -> None:
        self._settings = settings
        self._tasks = tasks

    async def allowed_workflows(self, chat_id: int) -> list[str] | None:
        """The chat's allow-list, or None when every workflow may run."""
        return await self._settings.get_allowed(chat_id)

    async def restrict(self, chat_id: int, workflow_ids: list[str] | None) -> None:
        """Limit runs in the chat to these workflows (None lifts the limit)."""
        await self._settings.set_allowed(chat_id, workflow_ids)

    async def migrated(self, old_chat_id: int, new_chat_id: int) -> int:
        """Point every stored task and setting of a migrated group at its new id."""
        return await self._tasks.migrate_chat(old_chat_id, new_chat_id)
