"""Runs: turn a parsed /run into a task in the ledger, and look tasks up, list and cancel them.

A task is recorded (PENDING, due now) before any paid call; the poller submits it. Everything
that can be refused — no key, a disallowed workflow, a bad parameter — is refused first.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.commands import MediaPlaceholder, Override, RunRequest, merge, parse_run, resolve
from bot.errors import NotAllowedError, RemoteError, TaskNotFoundError
from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import RunningHubError
from bot.services.accounts import Accounts
from bot.services.media import MediaInput, upload_media
from bot.services.presets import PresetBook
from bot.services.tracking import Tracker
from bot.services.workflows import WorkflowSchemas
from storage.chat_settings import ChatSettings
from storage.records import Task, TaskState
from storage.tasks import Tasks


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a run was asked for: who, in which chat and topic, by which message."""

    user_id: int
    chat_id: int
    thread_id: int | None
    message_id: int
    is_group: bool = False


def overrides_to_json(overrides: tuple[Override, ...]) -> list[dict[str, object]]:
    """Serialise resolved overrides for the ledger's inputs column."""
    return [{"node_id": o.node_id, "field": o.field, "value": o.value} for o in overrides]


class Runs:
    """Use cases for runs."""

    def __init__(
        self,
        tasks: Tasks,
        accounts: Accounts,
        schemas: WorkflowSchemas,
        presets: PresetBook,
        chat_settings: ChatSettings,
        client: RunningHubClient,
        tracker: Tracker,
        *,
        wake: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._tasks = tasks
        self._accounts = accounts
        self._schemas = schemas
        self._presets = presets
        self._chat_settings = chat_settings
        self._client = client
        self._tracker = tracker
        self._wake = wake
        self._clock = clock

    async def existing(self, origin: Origin) -> Task | None:
        """The task already created from this very message (a redelivered update), if any."""
        return await self._tasks.by_command(origin.chat_id, origin.message_id)

    async def start(
        self, origin: Origin, args_text: str, media: MediaInput | None = None
    ) -> tuple[Task, bool]:
        """Parse, validate and record a run; return the task and whether it is new."""
        already = await self.existing(origin)
        if already is not None:
            return already, False
        request = parse_run(args_text)
        api_key = await self._accounts.require_key(origin.user_id)
        workflow_id, defaults = await self._presets.expand(request.workflow, origin)
        await self._check_allowed(origin, workflow_id)
        overrides = await self._resolve(api_key, workflow_id, defaults, request, media)
        task, created = await self._tasks.create(
            owner_id=origin.user_id,
            chat_id=origin.chat_id,
            thread_id=origin.thread_id,
            command_message_id=origin.message_id,
            workflow_id=workflow_id,
            inputs=overrides_to_json(overrides),
            state=TaskState.PENDING,
            next_poll_at=self._clock(),
        )
        if created:
            self._wake()
        return task, created

    async def _check_allowed(self, origin: Origin, workflow_id: str) -> None:
        if not origin.is_group:
            return
        allowed = await self._chat_settings.get_allowed(origin.chat_id)
        if allowed is not None and workflow_id not in allowed:
            raise NotAllowedError("run.workflow_not_allowed", workflow=workflow_id)

    async def _resolve(
        self,
        api_key: str,
        workflow_id: str,
        defaults: RunRequest | None,
        request: RunRequest,
        media: MediaInput | None,
    ) -> tuple[Override, ...]:
        schema = await self._schemas.get(api_key, workflow_id)
        kind = media.kind if media is not None else None
        given = resolve(request.params, schema, media_kind=kind)
        base = resolve(defaults.params, schema, media_kind=kind) if defaults else ()
        overrides = merge(base, given)
        if media is None or not any(isinstance(o.value, MediaPlaceholder) for o in overrides):
            return overrides
        try:
            uploaded = await upload_media(self._client, api_key, media)
        except RunningHubError:
            raise RemoteError("remote.upload_failed") from None
        return tuple(
            Override(
                o.node_id, o.field, uploaded if isinstance(o.value, MediaPlaceholder) else o.value
            )
            for o in overrides
        )

    async def find(self, user_id: int, reference: str) -> Task:
        """A task of this user by local or remote id; anyone else's is 'not found'."""
        ref = reference.strip().lstrip("#")
        task = None
        if ref.isdigit() and len(ref) < 12:
            task = await self._tasks.get_for_owner(int(ref), user_id)
        elif ref.isdigit():
            task = await self._tasks.by_remote_id_for_owner(ref, user_id)
        if task is None:
            raise TaskNotFoundError(task=reference[:40])
        return task

    async def status(self, user_id: int, reference: str) -> Task:
        """Like `find`, but a task the poller stopped waiting for is looked up on RunningHub."""
        task = await self.find(user_id, reference)
        if task.state.is_stopped:
            task = await self._tracker.look_up(task)
            self._wake()
        return task

    async def remote_finished(self, remote_id: str) -> bool:
        """A callback says a RunningHub task ended: poll it now. False for unknown tasks."""
        task = await self._tasks.by_remote_id(remote_id)
        if task is None:
            return False
        if task.state.is_polled:
            await self._tasks.update(task.task_id, next_poll_at=self._clock())
        elif task.state.is_stopped:
            await self._tracker.look_up(task)
        self._wake()
        return True

    async def by_id(self, task_id: int) -> Task | None:
        """Any task by local id, for permission checks (buttons) — never shown to a stranger."""
        return await self._tasks.get(task_id)

    async def recent(self, user_id: int, limit: int = 10) -> list[Task]:
        """The user's most recent tasks, newest first."""
        return await self._tasks.recent(user_id, limit)

    async def queue_position(self, task: Task) -> int | None:
        """1-based position of a PENDING task among its owner's waiting tasks."""
        if task.state is not TaskState.PENDING:
            return None
        waiting = await self._tasks.pending(owner_id=task.owner_id)
        ids = [t.task_id for t in waiting]
        return ids.index(task.task_id) + 1 if task.task_id in ids else None

    async def attach_card(self, task_id: int, message_id: int) -> Task:
        """Remember the status card's message id."""
        return await self._tasks.update(task_id, status_message_id=message_id)

    async def cancel(self, task: Task) -> Task:
        """Cancel a task: locally when not yet submitted, on RunningHub otherwise.

        After RunningHub accepts the cancel the task is polled at once: a task that finished
        just before keeps its (paid) result instead of being marked cancelled.
        """
        if task.state is TaskState.PENDING:
            return await self._tasks.transition(task.task_id, TaskState.CANCELLED)
        if task.state.is_polled and task.remote_id:
            api_key = await self._accounts.require_key(task.owner_id)
            try:
                await self._client.cancel_task(api_key, task.remote_id)
            except RunningHubError:
                raise RemoteError("remote.cancel_failed") from None
            updated = await self._tasks.update(task.task_id, next_poll_at=self._clock())
            self._wake()
            return updated
        raise NotAllowedError("task.cannot_cancel", state=task.state.value)

    async def run_again(self, task: Task, origin: Origin) -> tuple[Task, bool]:
        """Record a new run of a task's workflow with the same inputs (origin: its new card)."""
        await self._accounts.require_key(origin.user_id)
        await self._check_allowed(origin, task.workflow_id)
        created = await self._tasks.create(
            owner_id=origin.user_id,
            chat_id=origin.chat_id,
            thread_id=origin.thread_id,
            command_message_id=origin.message_id,
            workflow_id=task.workflow_id,
            inputs=json.loads(task.inputs_json) if task.inputs_json else [],
            state=TaskState.PENDING,
            next_poll_at=self._clock(),
        )
        self._wake()
        return created

    def inputs_text(self, task: Task) -> str:
        """The task's overrides as `node.field=value` text, for display."""
        items = json.loads(task.inputs_json) if task.inputs_json else []
        return " ".join(f"{i['node_id']}.{i['field']}={i['value']!r}" for i in items)
