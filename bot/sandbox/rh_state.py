"""Task and key state of the emulator, computed lazily from a clock.

A task holds its key's slot from creation until it ends: QUEUED until `running_at`, RUNNING
until `ends_at`, then SUCCESS or FAILED (or CANCEL from the moment it was cancelled). Nothing
runs per task: each key keeps heaps of end times and settles them when asked (O(log n)).
"""

from __future__ import annotations

import enum
import hashlib
import heapq
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.rh_catalogue import Overrides

SNOWFLAKE_EPOCH_MS = 1_262_304_000_000  # 2010-01-01: ids stay 19 digits until ~2085


class TaskState(enum.StrEnum):
    """Task states as the v2 API spells them."""

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    CANCEL = "CANCEL"


TERMINAL = frozenset({TaskState.SUCCESS, TaskState.FAILED, TaskState.CANCEL})


@dataclass(slots=True, eq=False)
class EmulatedTask:
    """One task; `origin` is the dialect that created it: "v1", "v2" or "seed"."""

    task_id: str
    key: str = field(repr=False)
    workflow_id: str
    origin: str
    overrides: Overrides
    created_at: float
    running_at: float
    ends_at: float
    clock: Callable[[], float] = field(repr=False)
    failure: dict[str, Any] | None = None
    webhook_url: str | None = None
    instance_type: str = "default"
    cancelled_at: float | None = None

    def state_at(self, now: float) -> TaskState:
        """The state at clock time `now`."""
        if self.cancelled_at is not None and now >= self.cancelled_at:
            return TaskState.CANCEL
        if now < self.running_at:
            return TaskState.QUEUED
        if now < self.ends_at:
            return TaskState.RUNNING
        return TaskState.FAILED if self.failure is not None else TaskState.SUCCESS

    @property
    def state(self) -> TaskState:
        """The state now."""
        return self.state_at(self.clock())

    @property
    def client_id(self) -> str:
        """A stable 32-hex ComfyUI client id derived from the task id."""
        return hashlib.md5(self.task_id.encode(), usedforsecurity=False).hexdigest()

    @property
    def cost_seconds(self) -> int:
        """Whole seconds of run time (what `taskCostTime` reports once finished)."""
        return max(1, math.ceil(round(self.ends_at - self.running_at, 6)))

    @property
    def coins(self) -> int:
        """Coins a successful run costs: one per started second of run time, at least 1."""
        return 0 if self.failure is not None else self.cost_seconds


@dataclass(eq=False)
class KeyAccount:
    """One API key: type, concurrency, coins and the tasks currently holding its slots."""

    key: str = field(repr=False)
    api_type: str
    concurrent_limit: int
    coins: int
    active: dict[str, EmulatedTask] = field(default_factory=dict, repr=False)
    queued: set[str] = field(default_factory=set, repr=False)
    _ends: list[tuple[float, int, EmulatedTask]] = field(default_factory=list, repr=False)
    _starts: list[tuple[float, int, EmulatedTask]] = field(default_factory=list, repr=False)
    _seq: itertools.count[int] = field(default_factory=itertools.count, repr=False)

    def hold(self, task: EmulatedTask) -> None:
        """Give `task` a slot until it ends."""
        self.active[task.task_id] = task
        heapq.heappush(self._ends, (task.ends_at, next(self._seq), task))
        if task.running_at > task.created_at:
            self.queued.add(task.task_id)
            heapq.heappush(self._starts, (task.running_at, next(self._seq), task))

    def release(self, task: EmulatedTask) -> None:
        """Free the slot of a cancelled task (its heap entries are dropped later)."""
        self.active.pop(task.task_id, None)
        self.queued.discard(task.task_id)

    def settle(self, now: float) -> None:
        """Apply every transition up to `now`: start queued tasks, end tasks, charge coins."""
        while self._starts and self._starts[0][0] <= now:
            self.queued.discard(heapq.heappop(self._starts)[2].task_id)
        while self._ends and self._ends[0][0] <= now:
            task = heapq.heappop(self._ends)[2]
            if self.active.pop(task.task_id, None) is not None:
                self.coins -= task.coins

    def counts(self, now: float) -> tuple[int, int]:
        """(running, queued) task counts at `now`."""
        self.settle(now)
        return len(self.active) - len(self.queued), len(self.queued)


class TaskStore:
    """Every task and key of one emulator."""

    def __init__(self) -> None:
        self.tasks: dict[str, EmulatedTask] = {}
        self.accounts: dict[str, KeyAccount] = {}
        self._last_id = 0

    def new_id(self) -> str:
        """A fresh, increasing 19-digit snowflake-like id (unique across restarts)."""
        millis = int(time.time() * 1000) - SNOWFLAKE_EPOCH_MS
        self._last_id = max(self._last_id + 1, millis << 22)
        return str(self._last_id)

    def add(self, task: EmulatedTask) -> None:
        """Record a new task and let it hold a slot of its key."""
        self.tasks[task.task_id] = task
        self.accounts[task.key].hold(task)

    def cancel(self, task: EmulatedTask, now: float) -> None:
        """Cancel `task` at `now` if it has not ended yet."""
        if task.state_at(now) in TERMINAL:
            return
        task.cancelled_at = now
        self.accounts[task.key].release(task)
