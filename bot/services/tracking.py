"""Tracking: poll one submitted task and record what RunningHub says in the ledger.

The poll interval adapts to the task's age: quick at first, then a fixed fraction of the time
it has been running, capped — long renders are asked about rarely, short ones promptly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import (
    AuthenticationError,
    NotFoundError,
    RunningHubError,
    TransientError,
)
from bot.runninghub.models import RemoteState, TaskStatus
from bot.services.notices import Notice, failure_notice
from storage.keys import ApiKeys
from storage.outputs import Outputs
from storage.records import NewOutput, Task, TaskState
from storage.tasks import TaskFields, Tasks

log = logging.getLogger(__name__)

_STATE = {
    RemoteState.QUEUED: TaskState.QUEUED,
    RemoteState.RUNNING: TaskState.RUNNING,
    RemoteState.SUCCESS: TaskState.SUCCESS,
    RemoteState.FAILED: TaskState.FAILED,
    RemoteState.CANCELLED: TaskState.CANCELLED,
}


@dataclass(frozen=True)
class PollPolicy:
    """Adaptive interval and the overall deadline per task."""

    initial: float = 2.0
    maximum: float = 30.0
    growth: float = 0.2
    deadline: float = 3600.0

    def interval(self, age: float) -> float:
        """Seconds until the next poll of a task submitted `age` seconds ago."""
        return max(self.initial, min(self.maximum, age * self.growth))


class Tracker:
    """Polls tasks and applies the answers."""

    def __init__(
        self,
        tasks: Tasks,
        outputs: Outputs,
        keys: ApiKeys,
        client: RunningHubClient,
        policy: PollPolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._tasks = tasks
        self._outputs = outputs
        self._keys = keys
        self._client = client
        self._policy = policy
        self._clock = clock

    def _age(self, task: Task, now: float) -> float:
        return now - (task.submitted_at or task.created_at)

    async def poll(self, task: Task) -> Task:
        """Poll one QUEUED/RUNNING task once; return it as the ledger now has it."""
        now = self._clock()
        age = self._age(task, now)
        if age > self._policy.deadline:
            return await self._tasks.transition(
                task.task_id, TaskState.TIMED_OUT, error_text=Notice("task.timed_out").encode()
            )
        later = now + self._policy.interval(age)
        api_key = await self._keys.load(task.owner_id)
        if api_key is None or task.remote_id is None:
            return await self._tasks.update(task.task_id, next_poll_at=now + self._policy.maximum)
        try:
            status = await self._client.get_task(api_key, task.remote_id)
        except (TransientError, AuthenticationError) as exc:
            log.info("poll of task %s failed: %s", task.task_id, exc)
            return await self._tasks.update(task.task_id, next_poll_at=later)
        except NotFoundError:
            return await self._tasks.transition(
                task.task_id, TaskState.FAILED, error_text=Notice("task.remote_lost").encode()
            )
        except RunningHubError as exc:
            log.warning("poll of task %s refused: %s", task.task_id, exc)
            return await self._tasks.update(task.task_id, next_poll_at=later)
        return await self.apply(task, status, next_poll_at=later)

    async def look_up(self, task: Task) -> Task:
        """Ask RunningHub about a task the poller gave up on (TIMED_OUT, or UNKNOWN with an id).

        A final answer is recorded (and then delivered); anything else leaves the task as is.
        """
        if not task.state.is_stopped or task.remote_id is None:
            return task
        api_key = await self._keys.load(task.owner_id)
        if api_key is None:
            return task
        try:
            status = await self._client.get_task(api_key, task.remote_id)
        except RunningHubError as exc:
            log.info("look-up of task %s failed: %s", task.task_id, exc)
            return task
        if not status.state.is_terminal:
            return task
        return await self.apply(task, status, next_poll_at=self._clock())

    async def apply(self, task: Task, status: TaskStatus, *, next_poll_at: float) -> Task:
        """Record a poll answer: outputs first, then the state (so a crash never loses them)."""
        new_state = _STATE[status.state]
        if status.state is RemoteState.SUCCESS:
            await self._outputs.add_many(
                task.task_id,
                [
                    NewOutput(
                        index=i,
                        url=out.url,
                        file_type=out.file_type,
                        node_id=out.node_id,
                        text=out.text,
                    )
                    for i, out in enumerate(status.outputs)
                ],
            )
        fields: TaskFields = {}
        if status.cost_coins is not None:
            fields["cost_coins"] = status.cost_coins
        if status.cost_seconds is not None:
            fields["cost_seconds"] = status.cost_seconds
        if new_state is TaskState.FAILED:
            fields["error_text"] = failure_notice(status.failure).encode()
        if not new_state.is_terminal:
            fields["next_poll_at"] = next_poll_at
        return await self._tasks.transition(task.task_id, new_state, **fields)
