"""Submission: turn a PENDING task into a RunningHub task, exactly once.

The task is claimed (PENDING → SUBMITTING, committed) before the paid call. Then:
* accepted → QUEUED with the remote id;
* capacity (421/415/814, HTTP 429) or not sent at all → back to PENDING, retried with backoff;
* an answer lost after the request may have arrived → UNKNOWN, never resubmitted;
* any other refusal → FAILED with a notice saying why.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import (
    AuthenticationError,
    BillingError,
    CapacityError,
    InvalidRequestError,
    NotFoundError,
    OutcomeUnknownError,
    RunningHubError,
    TransientError,
)
from bot.runninghub.models import NodeOverride
from bot.services.notices import Notice
from storage.keys import ApiKeys
from storage.records import Task, TaskState
from storage.tasks import Tasks

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubmitPolicy:
    """Backoff for capacity rejections, and extra create options."""

    capacity_initial: float = 15.0
    capacity_max: float = 120.0
    poll_initial: float = 2.0
    instance_type: str | None = None
    webhook_url: str | None = None

    def backoff(self, attempts: int) -> float:
        """Wait before the next try after `attempts` capacity rejections."""
        return float(min(self.capacity_max, self.capacity_initial * 2 ** max(0, attempts - 1)))


def overrides_of(task: Task) -> list[NodeOverride]:
    """The stored inputs of a task as nodeInfoList entries."""
    items = json.loads(task.inputs_json) if task.inputs_json else []
    return [NodeOverride(str(i["node_id"]), str(i["field"]), i["value"]) for i in items]


def _refusal(exc: RunningHubError) -> Notice:
    code = exc.code or (str(exc.http_status) if exc.http_status else "")
    detail = (exc.remote_message or "")[:200]
    if isinstance(exc, AuthenticationError):
        return Notice("remote.auth", {"code": code})
    if isinstance(exc, BillingError):
        key = "remote.free_account" if exc.code == "801" else "remote.billing"
        return Notice(key, {"code": code})
    if isinstance(exc, NotFoundError):
        return Notice("remote.workflow_not_found_code", {"code": code})
    if isinstance(exc, InvalidRequestError):
        nodes = ", ".join(sorted(exc.node_errors)) if exc.node_errors else "-"
        return Notice("remote.invalid", {"code": code, "detail": detail or "-", "nodes": nodes})
    return Notice("remote.refused", {"code": code, "detail": detail or "-"})


class Submitter:
    """Submits claimed tasks; callers pick which PENDING tasks are due."""

    def __init__(
        self,
        tasks: Tasks,
        keys: ApiKeys,
        client: RunningHubClient,
        policy: SubmitPolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._tasks = tasks
        self._keys = keys
        self._client = client
        self._policy = policy
        self._clock = clock

    async def submit(self, task: Task) -> Task:
        """Claim and submit one PENDING task; return it in its new state."""
        api_key = await self._keys.load(task.owner_id)
        if api_key is None:
            return await self._tasks.transition(
                task.task_id, TaskState.FAILED, error_text=Notice("key.missing_at_submit").encode()
            )
        claimed = await self._tasks.transition(task.task_id, TaskState.SUBMITTING)
        now = self._clock()
        try:
            created = await self._client.create_task(
                api_key,
                task.workflow_id,
                overrides_of(claimed),
                instance_type=self._policy.instance_type,
                webhook_url=self._policy.webhook_url,
            )
        except (CapacityError, TransientError) as exc:
            attempts = claimed.attempts + 1
            log.info("task %s not created (%s); retry #%s later", task.task_id, exc, attempts)
            return await self._tasks.transition(
                task.task_id,
                TaskState.PENDING,
                attempts=attempts,
                next_poll_at=now + self._policy.backoff(attempts),
            )
        except OutcomeUnknownError as exc:
            log.warning("task %s: create outcome unknown (%s)", task.task_id, exc)
            return await self._tasks.transition(
                task.task_id, TaskState.UNKNOWN, error_text=Notice("task.unknown").encode()
            )
        except RunningHubError as exc:
            log.info("task %s refused by RunningHub: %s", task.task_id, exc)
            return await self._tasks.transition(
                task.task_id, TaskState.FAILED, error_text=_refusal(exc).encode()
            )
        log.info("task %s submitted as RunningHub task %s", task.task_id, created.task_id)
        return await self._tasks.transition(
            task.task_id,
            TaskState.QUEUED,
            remote_id=created.task_id,
            submitted_at=now,
            next_poll_at=now + self._policy.poll_initial,
        )
