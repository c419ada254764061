"""Ledger: the composition root's one-call way to open every repository over one file."""

from __future__ import annotations

from pathlib import Path

from storage import Ledger, TaskState
from storage.chat_settings import ChatSettings
from storage.crypto import KeyCipher
from storage.presets import ChatSettings as ReexportedChatSettings


async def test_ledger_opens_all_repositories_on_one_database(
    db_path: Path, cipher: KeyCipher
) -> None:
    """Every repository of a Ledger shares its database, and close() closes it."""
    ledger = await Ledger.open(db_path, cipher, clock=lambda: 5.0)
    try:
        await ledger.api_keys.store(1, "0123456789abcdef0123456789abcdef")
        task, _ = await ledger.tasks.create(
            owner_id=1, chat_id=1, thread_id=None, command_message_id=1, workflow_id="w", inputs={}
        )
        await ledger.presets.save("user", 1, "p", "w", {})
        await ledger.chat_settings.set_allowed(1, ["w"])
        user = await ledger.users.get(1)
        assert user is not None
        assert user.created_at == 5.0
        assert task.state is TaskState.PENDING
        assert await ledger.outputs.for_task(task.task_id) == []
        assert await ledger.api_keys.load(1) == "0123456789abcdef0123456789abcdef"
    finally:
        await ledger.close()
    reopened = await Ledger.open(db_path, cipher)
    try:
        assert await reopened.chat_settings.get_allowed(1) == ["w"]
        assert ChatSettings is ReexportedChatSettings
    finally:
        await reopened.close()
