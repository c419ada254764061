"""The background loop: submits due PENDING tasks, polls due tasks, hands finished ones over.

Driven by the ledger alone, so a restart resumes exactly where the process died. It knows no
Telegram: it calls a `Notifier` (given by `bot.app`) when a task changes or is ready to deliver.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.services.notices import Notice
from bot.services.submission import Submitter
from bot.services.tracking import Tracker
from storage.errors import StorageError
from storage.records import Task, TaskState
from storage.tasks import Tasks

log = logging.getLogger(__name__)


class Notifier(Protocol):
    """What the poller tells the chat side."""

    async def task_changed(self, task: Task) -> None:
        """Update the task's status card."""

    async def deliver(self, task: Task) -> None:
        """Post the outcome of a terminal task and mark it delivered in the ledger."""


class Poller:
    """One loop over the ledger; `wake()` makes it look again at once."""

    def __init__(
        self,
        tasks: Tasks,
        submitter: Submitter,
        tracker: Tracker,
        notifier: Notifier,
        *,
        max_active_per_user: int = 3,
        concurrency: int = 16,
        idle_wait: float = 1.0,
        clock: Callable[[], float] = time.time,
        event: asyncio.Event | None = None,
        catch_up_on_start: bool = False,
    ) -> None:
        self._tasks = tasks
        self._submitter = submitter
        self._tracker = tracker
        self._notifier = notifier
        self._max_active = max_active_per_user
        self._limit = asyncio.Semaphore(concurrency)
        self._idle_wait = idle_wait
        self._clock = clock
        self._event = event or asyncio.Event()
        self._catch_up = catch_up_on_start
        self._delivering: dict[int, asyncio.Task[None]] = {}
        self._jobs: dict[int, asyncio.Task[None]] = {}
        self._submitting: dict[int, Task] = {}
        self._retry_delivery_at: dict[int, float] = {}

    def wake(self) -> None:
        """Ask the loop to run a pass now."""
        self._event.set()

    async def resume(self) -> None:
        """On start-up: a create cut short by a crash may have happened — mark it UNKNOWN.

        With RunningHub callbacks on, every running task is also asked about at once: a
        callback sent while the bot was down is lost, and the safety-net poll is slow.
        """
        if self._catch_up:
            moved = await self._tasks.poll_all_now()
            log.info("checking %d running task(s) missed while the bot was down", moved)
        for task in await self._tasks.in_state(TaskState.SUBMITTING):
            log.warning("task %s was being submitted when the bot stopped", task.task_id)
            await self._tasks.transition(
                task.task_id, TaskState.UNKNOWN, error_text=Notice("task.unknown").encode()
            )

    async def run(self) -> None:
        """Run passes until cancelled; storage outages are logged and waited out."""
        await self.resume()
        while True:
            try:
                await self.run_once()
            except StorageError as exc:
                log.error("ledger unavailable, retrying: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), self._idle_wait)
            self._event.clear()

    async def run_once(self) -> None:
        """One pass: start due submissions and polls as jobs, then deliveries.

        Jobs run concurrently (bounded by the semaphore) and a task is never in two jobs at
        once, so one slow create or poll never holds up anyone else's.
        """
        now = self._clock()
        await self._submit_due(now)
        for task in await self._tasks.due(now, limit=1000):
            self._spawn(self._poll, task)
        for task in await self._tasks.undelivered():
            self._start_delivery(task)

    def _spawn(self, step: Callable[[Task], Awaitable[None]], task: Task) -> None:
        if task.task_id in self._jobs:
            return
        job = asyncio.create_task(self._guarded(step, task), name=f"task-{task.task_id}")
        self._jobs[task.task_id] = job
        job.add_done_callback(lambda _: self._jobs.pop(task.task_id, None))

    async def _guarded(self, step: Callable[[Task], Awaitable[None]], task: Task) -> None:
        async with self._limit:
            try:
                await step(task)
            except StorageError as exc:
                log.error("ledger unavailable for task %s, retrying: %s", task.task_id, exc)
            except Exception:
                log.exception("task %s: unexpected error", task.task_id)

    async def _submit_due(self, now: float) -> None:
        busy = {t.owner_id for t in self._submitting.values()}
        for task in await self._tasks.first_pending_per_owner():
            owner = task.owner_id
            if owner in busy or (task.next_poll_at is not None and task.next_poll_at > now):
                continue
            if await self._tasks.active_count(owner) < self._max_active:
                self._submitting[task.task_id] = task
                self._spawn(self._submit, task)

    async def _submit(self, task: Task) -> None:
        try:
            done = await self._submitter.submit(task)
        finally:
            self._submitting.pop(task.task_id, None)
        if done.state is not TaskState.PENDING:
            self.wake()  # the owner's next waiting task may go now, not after the card edit
        await self._notifier.task_changed(done)

    async def _poll(self, task: Task) -> None:
        done = await self._tracker.poll(task)
        if done.state.is_terminal:  # first the result and the freed slot, then the card edit
            self._start_delivery(done)
            await self._tasks.retry_next_waiting(done.owner_id)
            self.wake()
        await self._notifier.task_changed(done)

    def _start_delivery(self, task: Task) -> None:
        if task.task_id in self._delivering:
            return
        if self._retry_delivery_at.get(task.task_id, 0.0) > self._clock():
            return
        job = asyncio.create_task(self._deliver(task), name=f"deliver-{task.task_id}")
        self._delivering[task.task_id] = job

    async def _deliver(self, task: Task) -> None:
        try:
            await self._notifier.deliver(task)
            self._retry_delivery_at.pop(task.task_id, None)
        except Exception:
            log.exception("delivery of task %s failed; will retry", task.task_id)
            self._retry_delivery_at[task.task_id] = self._clock() + 5.0
        finally:
            self._delivering.pop(task.task_id, None)

    async def stop(self) -> None:
        """Let creates in flight finish (a cut create would become UNKNOWN), cancel polls, then
        give deliveries a moment; the ledger resumes whatever is left."""
        creates = [self._jobs[i] for i in self._submitting if i in self._jobs]
        if creates:
            await asyncio.wait(creates, timeout=10.0)
        await _cancel(list(self._jobs.values()), 0.0)
        await _cancel(list(self._delivering.values()), 5.0)


async def _cancel(jobs: list[asyncio.Task[None]], grace: float) -> None:
    """Wait up to `grace` seconds for jobs, then cancel the rest and wait for them to end."""
    if not jobs:
        return
    pending: set[asyncio.Task[None]] = set(jobs)
    if grace > 0:
        _, pending = await asyncio.wait(jobs, timeout=grace)
    for job in pending:
        job.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
