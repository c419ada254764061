"""Tasks: idempotent creation per command message, lookups by message, chat migration."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from storage.database import Database
from storage.presets import ChatSettings, Presets
from storage.records import Task
from storage.states import TaskState
from storage.tasks import Tasks

if TYPE_CHECKING:
    from tests.storage.conftest import FakeClock

S = TaskState


async def _new(tasks: Tasks, message_id: int = 10, *, owner: int = 1, chat: int = -100) -> Task:
    task, created = await tasks.create(
        owner_id=owner,
        chat_id=chat,
        thread_id=None,
        command_message_id=message_id,
        workflow_id="1850",
        inputs={"prompt": "a fox", "steps": 20},
    )
    assert created
    return task


async def test_create_stores_everything_and_creates_the_user(
    tasks: Tasks, db: Database, clock: FakeClock
) -> None:
    """create() records the request as PENDING with JSON inputs and makes the owner row."""
    task, created = await tasks.create(
        owner_id=7,
        chat_id=-100123,
        thread_id=55,
        command_message_id=9,
        workflow_id="wf-1",
        inputs=[{"nodeId": "6", "fieldName": "text", "fieldValue": "ёлка"}],
    )
    assert created
    assert task.owner_id == 7
    assert (task.chat_id, task.thread_id, task.command_message_id) == (-100123, 55, 9)
    assert task.state is S.PENDING
    assert task.inputs == [{"nodeId": "6", "fieldName": "text", "fieldValue": "ёлка"}]
    assert task.attempts == 0
    assert task.created_at == task.updated_at == clock.now
    assert (task.remote_id, task.next_poll_at, task.delivered_at) == (None, None, None)
    assert await db.fetchone("SELECT 1 FROM users WHERE user_id = 7") is not None
    assert await tasks.get(task.task_id) == task


async def test_duplicate_command_message_returns_the_existing_task(tasks: Tasks) -> None:
    """The same (chat, message) delivered twice yields one task; the second call says so."""
    first = await _new(tasks, 10)
    again, created = await tasks.create(
        owner_id=1,
        chat_id=-100,
        thread_id=None,
        command_message_id=10,
        workflow_id="other",
        inputs={},
    )
    assert not created
    assert again == first
    other_chat = await _new(tasks, 10, chat=-200)
    assert other_chat.task_id != first.task_id
    assert len(await tasks.recent(1, limit=10)) == 2


async def test_create_may_start_submitting_but_nothing_later(tasks: Tasks) -> None:
    """A task starts PENDING or SUBMITTING; any other initial state is refused."""
    task, _ = await tasks.create(
        owner_id=1,
        chat_id=1,
        thread_id=None,
        command_message_id=1,
        workflow_id="w",
        inputs={},
        state=S.SUBMITTING,
    )
    assert task.state is S.SUBMITTING
    with pytest.raises(ValueError, match="starts PENDING or SUBMITTING"):
        await tasks.create(
            owner_id=1,
            chat_id=1,
            thread_id=None,
            command_message_id=2,
            workflow_id="w",
            inputs={},
            state=S.RUNNING,
        )


async def test_create_refuses_inputs_that_are_not_json(tasks: Tasks) -> None:
    """Inputs must be JSON-serialisable (no NaN, no arbitrary objects)."""
    with pytest.raises(ValueError, match="JSON"):
        await tasks.create(
            owner_id=1,
            chat_id=1,
            thread_id=None,
            command_message_id=1,
            workflow_id="w",
            inputs={"x": float("nan")},
        )


async def test_migrate_chat_moves_tasks_presets_and_settings(
    tasks: Tasks, presets: Presets, chat_settings: ChatSettings
) -> None:
    """A group upgraded to a supergroup keeps its tasks, presets and allowed workflows."""
    one = await _new(tasks, 1, chat=-5)
    await _new(tasks, 2, chat=-5)
    await _new(tasks, 1, chat=-99)  # message 1 already exists in the new chat
    await _new(tasks, 3, chat=-7)
    await presets.save("chat", -5, "old", "w1", {"a": 1})
    await presets.save("chat", -5, "both", "w-old", {})
    await presets.save("chat", -99, "both", "w-new", {})
    await chat_settings.set_allowed(-5, ["w1"])
    assert await tasks.migrate_chat(-5, -99) == 1
    assert (await tasks.get(one.task_id)) == one  # conflicting row stays where it was
    in_new_chat = [t.command_message_id for t in await tasks.recent(1, 10) if t.chat_id == -99]
    assert sorted(in_new_chat) == [1, 2]
    moved = await presets.list("chat", -99)
    assert [(p.name, p.workflow_id) for p in moved] == [("both", "w-new"), ("old", "w1")]
    assert await presets.list("chat", -5) == []
    assert await chat_settings.get_allowed(-99) == ["w1"]
    assert await chat_settings.get_allowed(-5) is None


async def test_migrate_chat_keeps_the_new_chats_settings(
    tasks: Tasks, chat_settings: ChatSettings
) -> None:
    """If the new chat already has settings, they win over the old chat's."""
    await chat_settings.set_allowed(-5, ["old"])
    await chat_settings.set_allowed(-99, ["new"])
    assert await tasks.migrate_chat(-5, -99) == 0
    assert await chat_settings.get_allowed(-99) == ["new"]
    assert await chat_settings.get_allowed(-5) is None


async def test_by_command_finds_the_task_of_a_message(tasks: Tasks) -> None:
    """A redelivered update can look up the task its message already created."""
    task = await _new(tasks, 10, chat=-100)
    assert await tasks.by_command(-100, 10) == task
    assert await tasks.by_command(-100, 11) is None
    assert await tasks.by_command(-200, 10) is None


async def test_pending_task_may_carry_a_not_before_time(tasks: Tasks) -> None:
    """create(next_poll_at=...) stores when a PENDING task may be submitted at the earliest."""
    task, _ = await tasks.create(
        owner_id=1,
        chat_id=1,
        thread_id=None,
        command_message_id=1,
        workflow_id="w",
        inputs={},
        next_poll_at=123.5,
    )
    assert task.next_poll_at == 123.5
