"""Task queries: due polls, pending queues per user and per key, recent, search; all indexed."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import pytest

from storage.crypto import KeyCipher
from storage.database import Database
from storage.keys import ApiKeys
from storage.records import Task
from storage.states import TaskState
from storage.tasks import Tasks

if TYPE_CHECKING:
    from tests.storage.conftest import FakeClock

S = TaskState


async def _new(tasks: Tasks, message_id: int, owner: int = 1, workflow: str = "1850") -> Task:
    task, _ = await tasks.create(
        owner_id=owner,
        chat_id=owner,
        thread_id=None,
        command_message_id=message_id,
        workflow_id=workflow,
        inputs={},
    )
    return task


async def _running(tasks: Tasks, message_id: int, poll_at: float, owner: int = 1) -> Task:
    task = await _new(tasks, message_id, owner)
    await tasks.transition(task.task_id, S.SUBMITTING)
    return await tasks.transition(
        task.task_id, S.RUNNING, remote_id=f"rh-{message_id}", next_poll_at=poll_at
    )


def _ids(found: list[Task]) -> list[int]:
    return [task.command_message_id for task in found]


async def test_due_returns_polled_tasks_whose_time_has_come_soonest_first(tasks: Tasks) -> None:
    """due() lists QUEUED/RUNNING tasks with next_poll_at <= now, ordered, limited."""
    await _running(tasks, 1, poll_at=30)
    await _running(tasks, 2, poll_at=10)
    await _running(tasks, 3, poll_at=20)
    await _running(tasks, 4, poll_at=99)
    finished = await _running(tasks, 5, poll_at=5)
    await tasks.transition(finished.task_id, S.SUCCESS, next_poll_at=5)
    await _new(tasks, 6)  # PENDING: never polled
    assert _ids(await tasks.due(now=30)) == [2, 3, 1]
    assert _ids(await tasks.due(now=30, limit=2)) == [2, 3]
    assert await tasks.due(now=1) == []


async def test_poll_all_now_makes_every_running_task_due(tasks: Tasks, clock: FakeClock) -> None:
    """poll_all_now() brings forward QUEUED/RUNNING tasks only, and says how many moved."""
    now = clock.now
    await _running(tasks, 1, poll_at=now + 300)
    await _running(tasks, 2, poll_at=now - 5)  # already due: left as it is
    finished = await _running(tasks, 3, poll_at=now + 300)
    await tasks.transition(finished.task_id, S.SUCCESS)
    await _new(tasks, 4)  # PENDING: never polled
    assert _ids(await tasks.due(now=now)) == [2]
    assert await tasks.poll_all_now() == 1
    assert _ids(await tasks.due(now=now)) == [2, 1]


async def test_pending_is_in_arrival_order_per_user(tasks: Tasks) -> None:
    """pending() lists PENDING tasks oldest first, for everyone or for one owner."""
    await _new(tasks, 1, owner=1)
    await _new(tasks, 2, owner=2)
    third = await _new(tasks, 3, owner=1)
    submitted = await _new(tasks, 4, owner=1)
    await tasks.transition(submitted.task_id, S.SUBMITTING)
    assert _ids(await tasks.pending()) == [1, 2, 3]
    assert _ids(await tasks.pending(owner_id=1)) == [1, 3]
    assert _ids(await tasks.pending(owner_id=1, limit=1)) == [1]
    assert third.task_id > (await tasks.pending(owner_id=1))[0].task_id


async def test_first_pending_per_owner_is_each_owners_next_task(tasks: Tasks) -> None:
    """first_pending_per_owner() gives each owner's oldest PENDING task, in arrival order."""
    first = await _new(tasks, 1, owner=1)
    await _new(tasks, 2, owner=2)
    await _new(tasks, 3, owner=1)
    await _new(tasks, 4, owner=3)
    await tasks.transition(first.task_id, S.SUBMITTING)
    assert _ids(await tasks.first_pending_per_owner()) == [2, 3, 4]


async def test_pending_and_active_count_per_api_key(
    tasks: Tasks, db: Database, cipher: KeyCipher
) -> None:
    """Users sharing one RunningHub key share one queue and one concurrency count."""
    keys = ApiKeys(db, cipher)
    shared = await keys.store(1, "shared-key-0123456789abcdef0123")
    await keys.store(2, "shared-key-0123456789abcdef0123")
    own = await keys.store(3, "own-key-0123456789abcdef0123456")
    await _new(tasks, 1, owner=1)
    await _new(tasks, 2, owner=3)
    await _new(tasks, 3, owner=2)
    active = await _running(tasks, 4, poll_at=0, owner=2)
    assert _ids(await tasks.pending(key_ref=shared.key_ref)) == [1, 3]
    assert _ids(await tasks.pending(key_ref=own.key_ref)) == [2]
    assert _ids(await tasks.pending(owner_id=2, key_ref=shared.key_ref)) == [3]
    assert await tasks.active_count(key_ref=shared.key_ref) == 1
    assert await tasks.active_count(key_ref=own.key_ref) == 0
    assert await tasks.active_count(owner_id=2) == 1
    assert await tasks.active_count(owner_id=1) == 0
    await tasks.transition(active.task_id, S.FAILED, error_text="boom")
    assert await tasks.active_count(key_ref=shared.key_ref) == 0


async def test_active_count_counts_submitting_queued_running(tasks: Tasks) -> None:
    """SUBMITTING, QUEUED and RUNNING hold a slot; PENDING and finished tasks do not."""
    await _new(tasks, 1)
    submitting = await _new(tasks, 2)
    await tasks.transition(submitting.task_id, S.SUBMITTING)
    queued = await _new(tasks, 3)
    await tasks.transition(queued.task_id, S.SUBMITTING)
    await tasks.transition(queued.task_id, S.QUEUED, remote_id="q")
    await _running(tasks, 4, poll_at=0)
    assert await tasks.active_count() == 3
    assert await tasks.active_count(owner_id=1) == 3
    assert await tasks.active_count(owner_id=2) == 0


async def test_recent_is_newest_first_and_per_owner(tasks: Tasks) -> None:
    """recent() returns only the owner's tasks, newest first, up to the limit."""
    for message_id in range(1, 6):
        await _new(tasks, message_id, owner=1)
    await _new(tasks, 99, owner=2)
    assert _ids(await tasks.recent(1, limit=3)) == [5, 4, 3]
    assert _ids(await tasks.recent(2)) == [99]


async def test_get_and_remote_id_lookups_are_limited_to_the_owner(tasks: Tasks) -> None:
    """Another user's task id or remote id is invisible to a user."""
    task = await _running(tasks, 1, poll_at=0, owner=1)
    assert await tasks.get_for_owner(task.task_id, 1) == task
    assert await tasks.get_for_owner(task.task_id, 2) is None
    assert await tasks.by_remote_id_for_owner("rh-1", 1) == task
    assert await tasks.by_remote_id_for_owner("rh-1", 2) is None
    assert await tasks.by_remote_id_for_owner("rh-404", 1) is None
    assert await tasks.get(12345) is None


async def test_undelivered_lists_finished_tasks_awaiting_delivery(
    tasks: Tasks, clock: FakeClock
) -> None:
    """Finished or stopped tasks without delivered_at are listed until marked delivered."""
    done = await _running(tasks, 1, poll_at=0)
    await tasks.transition(done.task_id, S.SUCCESS)
    failed = await _new(tasks, 2)
    await tasks.transition(failed.task_id, S.FAILED, error_text="no key")
    timed_out = await _running(tasks, 3, poll_at=0)
    await tasks.transition(timed_out.task_id, S.TIMED_OUT)
    await _running(tasks, 4, poll_at=0)
    assert _ids(await tasks.undelivered()) == [1, 2, 3]
    await tasks.update(failed.task_id, delivered_at=clock.now)
    assert _ids(await tasks.undelivered()) == [1, 3]


async def test_in_state_lists_tasks_oldest_first(tasks: Tasks) -> None:
    """in_state() finds e.g. SUBMITTING tasks left by a crash, to reconcile them."""
    for message_id in (1, 2, 3):
        task = await _new(tasks, message_id)
        if message_id != 2:
            await tasks.transition(task.task_id, S.SUBMITTING)
    assert _ids(await tasks.in_state(S.SUBMITTING)) == [1, 3]
    assert _ids(await tasks.in_state(S.PENDING)) == [2]


async def test_search_matches_ids_remote_ids_and_workflows(tasks: Tasks) -> None:
    """search() finds the owner's tasks by local id, remote id or workflow id, newest first."""
    first = await _running(tasks, 1, poll_at=0)
    await _new(tasks, 2, workflow="flux_dev")
    await _new(tasks, 3, owner=2, workflow="flux_dev")
    assert _ids(await tasks.search(1, f"#{first.task_id}")) == [1]
    assert _ids(await tasks.search(1, "rh-1")) == [1]
    assert _ids(await tasks.search(1, "FLUX")) == [2]
    assert _ids(await tasks.search(1, "")) == [2, 1]
    assert await tasks.search(1, "%") == []
    assert await tasks.search(1, "_") != []  # "_" is literal: "flux_dev" contains it
    assert _ids(await tasks.search(1, "x_d")) == [2]
    assert await tasks.search(1, "9" * 40) == []


@pytest.mark.parametrize(
    "query",
    [
        lambda t: t.due(now=1.0),
        lambda t: t.pending(owner_id=1),
        lambda t: t.pending(),
        lambda t: t.recent(1),
        lambda t: t.by_remote_id_for_owner("rh-1", 1),
        lambda t: t.undelivered(),
        lambda t: t.in_state(S.SUBMITTING),
        lambda t: t.active_count(owner_id=1),
        lambda t: t.first_pending_per_owner(),
        lambda t: t.retry_next_waiting(1),
        lambda t: t.poll_all_now(),
    ],
)
async def test_queries_use_indexes(
    tasks: Tasks, db: Database, query: Callable[[Tasks], Awaitable[object]]
) -> None:
    """The queries the bot runs all the time never scan the whole tasks table."""
    statements: list[str] = []
    await db.set_trace_callback(statements.append)
    await query(tasks)
    await db.set_trace_callback(None)
    assert statements
    for sql in statements:
        for row in await db.fetchall(f"EXPLAIN QUERY PLAN {sql}"):
            detail = str(row["detail"])
            assert not (detail.startswith("SCAN") and "INDEX" not in detail), (sql, detail)


def test_index_assertion_detects_a_full_scan() -> None:
    """The plan check above would catch a query that scans the table (sanity of the check)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE tasks (task_id INTEGER PRIMARY KEY, owner_id INTEGER)")
    detail = conn.execute("EXPLAIN QUERY PLAN SELECT * FROM tasks WHERE owner_id = 1").fetchone()
    conn.close()
    assert detail[3].startswith("SCAN")
    assert "INDEX" not in detail[3]


async def test_retry_next_waiting_moves_the_keys_oldest_backed_off_task_only(
    tasks: Tasks, db: Database, cipher: KeyCipher, clock: FakeClock
) -> None:
    """Each freed slot makes due one backed-off task: the oldest of the owner and key-mates."""
    keys = ApiKeys(db, cipher)
    await keys.store(1, "shared-key-0123456789abcdef0123")
    await keys.store(2, "shared-key-0123456789abcdef0123")
    await keys.store(3, "own-key-0123456789abcdef0123456")
    later = clock.now + 60
    for message, owner in ((1, 3), (2, 2), (3, 1), (4, 1)):
        task = await _new(tasks, message, owner=owner)
        await tasks.update(task.task_id, next_poll_at=later)

    assert await tasks.retry_next_waiting(1)
    assert [t.next_poll_at for t in await tasks.pending()] == [later, clock.now, later, later]
    assert await tasks.retry_next_waiting(1)
    assert await tasks.retry_next_waiting(2)
    assert [t.next_poll_at for t in await tasks.pending()] == [later, *[clock.now] * 3]
    assert not await tasks.retry_next_waiting(1)  # owner 3's key is another key
