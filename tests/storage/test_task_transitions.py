"""Task transitions and updates: checked in one place, stamped, never undoing a final state."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from storage.errors import IllegalTransitionError, TaskNotFoundError
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
