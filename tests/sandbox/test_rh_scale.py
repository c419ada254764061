"""Scale properties of the emulator's lazy state: many tasks per key stay cheap."""

from __future__ import annotations

import time

from bot.sandbox.rh_state import EmulatedTask, KeyAccount, TaskState, TaskStore
from bot.sandbox.runninghub_emulator import ManualClock


def test_ten_thousand_tasks_settle_quickly_and_count_correctly() -> None:
    """10 000 in-flight tasks on one key: counts and coins stay right, settling takes < 1 s."""
    clock = ManualClock(0.0)
    store = TaskStore()
    store.accounts["k"] = KeyAccount("k", "SHARED", 10_000, 1_000_000)
    started = time.perf_counter()
    for index in range(10_000):
        running_at = index * 0.001 + 1.0
        store.add(
            EmulatedTask(
                task_id=store.new_id(),
                key="k",
                workflow_id="w",
                origin="v2",
                overrides={},
                created_at=0.0,
                running_at=running_at,
                ends_at=running_at + 2.0,
                clock=clock,
            )
        )
    account = store.accounts["k"]
    assert account.counts(clock()) == (0, 10_000)
    assert account.counts(clock.advance(3.4995)) == (2_000, 7_500)
    clock.advance(100)
    assert account.counts(clock()) == (0, 0)
    assert account.coins == 1_000_000 - 2 * 10_000
    assert time.perf_counter() - started < 1.0
    assert len({task.task_id for task in store.tasks.values()}) == 10_000
    assert all(len(task_id) == 19 for task_id in store.tasks)
    assert next(iter(store.tasks.values())).state is TaskState.SUCCESS
