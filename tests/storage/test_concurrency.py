"""Hundreds of coroutines on the one connection, and two connections on one file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage.database import Database
from storage.outputs import Outputs
from storage.records import NewOutput
from storage.states import TaskState
from storage.tasks import Tasks

S = TaskState
WRITERS = 300


async def _full_run(tasks: Tasks, outputs: Outputs, i: int, chat_id: int = -1) -> None:
    task, created = await tasks.create(
        owner_id=i % 20 + 1,
        chat_id=chat_id,
        thread_id=None,
        command_message_id=i,
        workflow_id="w",
        inputs={"i": i},
    )
    assert created
    await tasks.transition(task.task_id, S.SUBMITTING, attempts=1)
    await tasks.transition(task.task_id, S.QUEUED, remote_id=f"rh-{chat_id}-{i}")
    await outputs.add_many(task.task_id, [NewOutput(url=f"https://x/{i}.png")])
    await tasks.transition(task.task_id, S.SUCCESS)


async def _insert_then_fail(db: Database, i: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO users (user_id, created_at) VALUES (?, 0)", (10_000 + i,))
        await asyncio.sleep(0)
        raise RuntimeError("rolled back on purpose")


async def _doomed(db: Database, i: int) -> None:
    with pytest.raises(RuntimeError, match="on purpose"):
        await _insert_then_fail(db, i)


async def _duplicate(tasks: Tasks) -> bool:
    _, created = await tasks.create(
        owner_id=1, chat_id=-2, thread_id=None, command_message_id=1, workflow_id="w", inputs={}
    )
    return created


async def _watch_for_phantoms(db: Database, stop: asyncio.Event) -> int:
    seen = 0
    while not stop.is_set():
        row = await db.fetchone("SELECT count(*) FROM users WHERE user_id >= 10000")
        assert row is not None
        seen += int(row[0])
        await asyncio.sleep(0)
    return seen


async def test_hundreds_of_concurrent_writers_lose_nothing(
    db: Database, tasks: Tasks, outputs: Outputs
) -> None:
    """300 full task runs, 100 rollbacks and 100 duplicate updates interleave on one
    connection: every committed row is there, no rolled-back row ever shows, no lock errors."""
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch_for_phantoms(db, stop))
    results = await asyncio.gather(
        *(_full_run(tasks, outputs, i) for i in range(WRITERS)),
        *(_doomed(db, i) for i in range(100)),
        *(_duplicate(tasks) for _ in range(100)),
    )
    stop.set()
    assert await watcher == 0
    assert sum(1 for created in results[WRITERS + 100 :] if created) == 1
    counts = await db.fetchone(
        "SELECT (SELECT count(*) FROM tasks WHERE state = 'SUCCESS' AND attempts = 1),"
        " (SELECT count(*) FROM outputs), (SELECT count(*) FROM tasks WHERE chat_id = -2),"
        " (SELECT count(*) FROM users WHERE user_id >= 10000)"
    )
    assert counts is not None
    assert tuple(counts) == (WRITERS, WRITERS, 1, 0)


async def test_two_connections_on_one_file_both_commit(db_path: Path) -> None:
    """Two processes' worth of connections (e.g. the bot and rotate-keys) write without
    "database is locked": BEGIN IMMEDIATE waits on the busy timeout instead of failing."""
    first = await Database.open(db_path)
    second = await Database.open(db_path)
    try:
        await asyncio.gather(
            *(_full_run(Tasks(first), Outputs(first), i, chat_id=-1) for i in range(60)),
            *(_full_run(Tasks(second), Outputs(second), i, chat_id=-3) for i in range(60)),
        )
        row = await first.fetchone("SELECT count(*) FROM tasks WHERE state = 'SUCCESS'")
        assert row is not None
        assert row[0] == 120
    finally:
        await first.close()
        await second.close()
