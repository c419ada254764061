"""Tasks: idempotent creation per command message, checked transitions, updates, chat moves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from storage.database import Database
from storage.errors import IllegalTransitionError, TaskNotFoundError
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


async def test_transition_sets_fields_and_stamps_time(tasks: Tasks, clock: FakeClock) -> None:
    """A legal transition changes the state and the given fields in one step."""
    task = await _new(tasks)
    clock.advance(5)
    task = await tasks.transition(task.task_id, S.SUBMITTING, attempts=1)
    task = await tasks.transition(task.task_id, S.QUEUED, remote_id="rh-1", status_message_id=77)
    assert task.state is S.QUEUED
    assert (task.remote_id, task.status_message_id, task.attempts) == ("rh-1", 77, 1)
    assert task.next_poll_at == clock.now  # polled states default to "poll now"
    assert task.updated_at == clock.now
    assert task.created_at == clock.now - 5


async def test_transition_keeps_an_explicit_next_poll_time(tasks: Tasks) -> None:
    """An explicit next_poll_at wins over the default when polling starts."""
    task = await _new(tasks)
    await tasks.transition(task.task_id, S.SUBMITTING)
    task = await tasks.transition(task.task_id, S.RUNNING, next_poll_at=42.0, remote_id="r")
    assert task.next_poll_at == 42.0


async def test_illegal_transition_raises_and_changes_nothing(tasks: Tasks) -> None:
    """A forbidden transition raises IllegalTransitionError and leaves the row as it was."""
    task = await _new(tasks)
    with pytest.raises(IllegalTransitionError, match="PENDING -> RUNNING"):
        await tasks.transition(task.task_id, S.RUNNING, remote_id="x")
    assert await tasks.get(task.task_id) == task


async def test_final_state_never_changes_back(tasks: Tasks) -> None:
    """Once SUCCESS, a task cannot be moved anywhere, even by a late poll result."""
    task = await _new(tasks)
    for state in (S.SUBMITTING, S.RUNNING, S.SUCCESS):
        task = await tasks.transition(task.task_id, state)
    for state in TaskState:
        with pytest.raises(IllegalTransitionError):
            await tasks.transition(task.task_id, state)
    assert (await tasks.get(task.task_id)) == task


async def test_second_claim_of_a_pending_task_fails(tasks: Tasks) -> None:
    """Two submitters racing for one PENDING task: only the first PENDING→SUBMITTING wins."""
    task = await _new(tasks)
    await tasks.transition(task.task_id, S.SUBMITTING)
    with pytest.raises(IllegalTransitionError):
        await tasks.transition(task.task_id, S.SUBMITTING)


async def test_entering_a_terminal_state_stops_polling_and_awaits_delivery(
    tasks: Tasks, clock: FakeClock
) -> None:
    """A stopped task later learning its outcome gets polled no more and delivered anew."""
    task = await _new(tasks)
    await tasks.transition(task.task_id, S.SUBMITTING)
    await tasks.transition(task.task_id, S.RUNNING, remote_id="r")
    task = await tasks.transition(task.task_id, S.TIMED_OUT)
    assert task.next_poll_at is None
    task = await tasks.update(task.task_id, delivered_at=clock.now)
    assert task.delivered_at == clock.now
    task = await tasks.transition(task.task_id, S.SUCCESS, cost_coins=7.0, cost_seconds=32.5)
    assert task.delivered_at is None
    assert (task.cost_coins, task.cost_seconds) == (7.0, 32.5)


async def test_update_sets_fields_in_any_state(tasks: Tasks, clock: FakeClock) -> None:
    """update() changes non-state fields, also on a finished task (e.g. delivered_at)."""
    task = await _new(tasks)
    await tasks.transition(task.task_id, S.CANCELLED)
    clock.advance(3)
    task = await tasks.update(task.task_id, delivered_at=clock.now, error_text="cancelled")
    assert task.state is S.CANCELLED
    assert (task.delivered_at, task.error_text, task.updated_at) == (
        clock.now,
        "cancelled",
        clock.now,
    )


async def test_update_refuses_unknown_or_no_fields(tasks: Tasks) -> None:
    """Only whitelisted columns can be set; the state only through transition()."""
    task = await _new(tasks)
    with pytest.raises(TypeError, match="state"):
        await tasks.update(task.task_id, state="SUCCESS")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="owner_id"):
        await tasks.transition(task.task_id, S.SUBMITTING, owner_id=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="at least one"):
        await tasks.update(task.task_id)
    assert await tasks.get(task.task_id) == task


async def test_missing_task_raises_not_found(tasks: Tasks) -> None:
    """transition() and update() on an unknown id raise TaskNotFoundError."""
    with pytest.raises(TaskNotFoundError, match="task 404"):
        await tasks.transition(404, S.SUBMITTING)
    with pytest.raises(TaskNotFoundError):
        await tasks.update(404, attempts=1)


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


async def test_submitted_at_is_set_once_when_polling_starts(tasks: Tasks, clock: FakeClock) -> None:
    """Entering QUEUED stamps submitted_at unless given; RUNNING later keeps the first."""
    task = await _new(tasks)
    await tasks.transition(task.task_id, S.SUBMITTING)
    queued = await tasks.transition(task.task_id, S.QUEUED, remote_id="r")
    assert queued.submitted_at == clock.now
    clock.advance(7)
    running = await tasks.transition(task.task_id, S.RUNNING)
    assert running.submitted_at == clock.now - 7
    other = await _new(tasks, 11)
    await tasks.transition(other.task_id, S.SUBMITTING)
    explicit = await tasks.transition(other.task_id, S.QUEUED, remote_id="q", submitted_at=1.0)
    assert explicit.submitted_at == 1.0
