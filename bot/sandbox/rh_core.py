"""The emulator's shared core: keys, tasks, uploads, faults, and the create/lookup rules.

Create rules, in order: unknown key → 802, FREE key → 801, missing workflowId → 301,
unknown workflow → 380, bad override → 803 (also when a LoadImage/LoadAudio/LoadVideo value
is not a fileName (or file URL) uploaded with the same key), key at its concurrency limit →
421 (415 for EXCLUSIVE keys; the task is not created), no coins left → 414 (416 for
SHARED/EXCLUSIVE). A ``fail_805`` fault or a workflow with a `failure` makes the task FAILED.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.rh_catalogue import Catalogue, InvalidNodeInfoError, Overrides, Workflow
from bot.sandbox.rh_codes import ApiError
from bot.sandbox.rh_config import EmulatorConfig
from bot.sandbox.rh_faults import FaultBook, FaultKind
from bot.sandbox.rh_files import Signer, UploadStore
from bot.sandbox.rh_state import EmulatedTask, KeyAccount, TaskStore

FAIL_805 = frozenset({FaultKind.FAIL_805})


@dataclass
class RecordedRequest:
    """One request as it arrived: method, path, emulator-clock time, task id when known."""

    method: str
    path: str
    at: float
    task_id: str | None = None


class Core:
    """State and rules shared by every route of one emulator."""

    def __init__(self, config: EmulatorConfig, catalogue: Catalogue) -> None:
        self.config = config
        self.catalogue = catalogue
        self.store = TaskStore()
        self.uploads = UploadStore()
        self.signer = Signer(config.clock, config.url_ttl_seconds)
        self.faults = FaultBook(config.fault_seed)
        self.base_url = ""
        self.requests: list[RecordedRequest] = []
        self.path_counts: collections.Counter[str] = collections.Counter()
        self.watchers: list[Callable[[EmulatedTask], None]] = []

    def now(self) -> float:
        """The emulator clock."""
        return self.config.clock()

    def record(self, method: str, path: str) -> RecordedRequest:
        """Count a request (and keep it in `requests` unless recording is off)."""
        entry = RecordedRequest(method, path, self.now())
        self.path_counts[path] += 1
        if self.config.record_requests:
            self.requests.append(entry)
        return entry

    def authenticate(self, key: str | None) -> KeyAccount:
        """The account of `key`; ApiError 802 when unknown, 801 for FREE keys."""
        account = self.store.accounts.get(key or "")
        if account is None:
            raise ApiError(802)
        if account.api_type == "FREE":
            raise ApiError(801)
        return account

    def task_id_json(self, task: EmulatedTask) -> str | int:
        """The task id as the API emits it (a number when `numeric_task_ids`)."""
        return int(task.task_id) if self.config.numeric_task_ids else task.task_id

    def find_task(self, account: KeyAccount, raw_id: Any) -> EmulatedTask | None:
        """The task `raw_id` names if it belongs to `account`."""
        task = self.store.tasks.get(str(raw_id).strip())
        return task if task is not None and task.key == account.key else None

    def workflow(self, raw_id: Any) -> Workflow:
        """The workflow `raw_id` names; ApiError 301 when missing, 380 when unknown."""
        if raw_id in (None, ""):
            raise ApiError(301, "workflowId is required")
        workflow = self.catalogue.get(str(raw_id).strip())
        if workflow is None:
            raise ApiError(380)
        return workflow

    def create_task(
        self,
        account: KeyAccount,
        workflow: Workflow,
        parse: Callable[[Workflow], Overrides],
        *,
        origin: str,
        path: str,
        webhook_url: str | None = None,
        instance_type: str | None = None,
    ) -> EmulatedTask:
        """Validate, check capacity and create a task (see the module docstring for codes)."""
        try:
            overrides = parse(workflow)
            for name in workflow.upload_inputs(overrides):
                if not self.uploads.owned(name, account.key):
                    raise InvalidNodeInfoError({"error": "file_not_uploaded", "fileName": name})
        except InvalidNodeInfoError as exc:
            raise ApiError(803, data=exc.detail if origin == "seed" else None) from None
        now = self.now()
        account.settle(now)
        if len(account.active) >= account.concurrent_limit:
            raise ApiError(415 if account.api_type == "EXCLUSIVE" else 421)
        if account.coins <= 0:
            raise ApiError(414 if account.api_type == "NORMAL" else 416)
        run = self.config.run_seconds
        if self.config.duration_fn is not None:
            run = self.config.duration_fn(workflow.workflow_id)
        running_at = now + self.config.queue_seconds
        fault = self.faults.take(path, FAIL_805)
        task = EmulatedTask(
            task_id=self.store.new_id(),
            key=account.key,
            workflow_id=workflow.workflow_id,
            origin=origin,
            overrides=overrides,
            created_at=now,
            running_at=running_at,
            ends_at=running_at + max(0.0, run),
            clock=self.config.clock,
            failure=workflow.failure if fault is None else injected_reason(fault.message),
            webhook_url=webhook_url or None,
            instance_type=instance_type or "default",
        )
        self.store.add(task)
        for watcher in self.watchers:
            watcher(task)
        return task

    def cancel(self, task: EmulatedTask) -> None:
        """Cancel `task` now (no-op once it has ended) and tell the watchers."""
        was_cancelled = task.cancelled_at is not None
        self.store.cancel(task, self.now())
        if task.cancelled_at is not None and not was_cancelled:
            for watcher in self.watchers:
                watcher(task)


def injected_reason(message: str | None) -> dict[str, Any]:
    """The failedReason of a task failed by a ``fail_805`` fault."""
    text = message or "Emulated failure (fail_805 fault)"
    return {
        "node_id": "8",
        "node_name": "VAEDecode",
        "exception_type": "RuntimeError",
        "exception_message": text,
        "traceback": ["Traceback (most recent call last):", f"RuntimeError: {text}"],
        "current_inputs": {},
        "current_outputs": {},
    }
