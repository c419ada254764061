"""What the client returns: normalised, frozen models, whatever shape RunningHub answered in.

Past the client, code sees only these. The raw-response parsing lives in `parsing.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Dialect(StrEnum):
    """Which RunningHub API to speak: the real one, or the old README's createWithParams/status."""

    CURRENT = "current"
    SEED = "seed"


class RemoteState(StrEnum):
    """One task state, normalised from bare strings, 804/813/805 codes, v2 statuses, CREATE, CANCEL."""

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def is_terminal(self) -> bool:
        """True once the task will not change any more."""
        return self in (RemoteState.SUCCESS, RemoteState.FAILED, RemoteState.CANCELLED)


_STATE_ALIASES: Mapping[str, RemoteState] = {
    "CREATE": RemoteState.QUEUED,
    "CREATED": RemoteState.QUEUED,
    "QUEUED": RemoteState.QUEUED,
    "QUEUE": RemoteState.QUEUED,
    "PENDING": RemoteState.QUEUED,
    "RUNNING": RemoteState.RUNNING,
    "SUCCESS": RemoteState.SUCCESS,
    "SUCCEEDED": RemoteState.SUCCESS,
    "FAILED": RemoteState.FAILED,
    "FAIL": RemoteState.FAILED,
    "ERROR": RemoteState.FAILED,
    "CANCEL": RemoteState.CANCELLED,
    "CANCELED": RemoteState.CANCELLED,
    "CANCELLED": RemoteState.CANCELLED,
}


def normalise_state(value: object) -> RemoteState | None:
    """Map any status spelling RunningHub uses to a RemoteState (None when unrecognised)."""
    if not isinstance(value, str):
        return None
    return _STATE_ALIASES.get(value.strip().upper())


@dataclass(frozen=True, slots=True)
class NodeOverride:
    """One nodeInfoList entry: set `field` of node `node_id` to `value`."""

    node_id: str
    field: str
    value: str | int | float | bool


@dataclass(frozen=True, slots=True)
class TaskOutput:
    """One output file or text of a finished task."""

    file_type: str
    url: str | None = None
    node_id: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class FailureReason:
    """Why a task failed: the ComfyUI node and its exception (traceback shortened)."""

    message: str
    node_id: str | None = None
    node_name: str | None = None
    exception_type: str | None = None


@dataclass(frozen=True, slots=True)
class TaskStatus:
    """One poll's answer: state, outputs when done, the failure when failed, the cost when known."""

    task_id: str
    state: RemoteState
    outputs: tuple[TaskOutput, ...] = ()
    failure: FailureReason | None = None
    cost_coins: float | None = None
    cost_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class CreatedTask:
    """A task RunningHub accepted."""

    task_id: str
    state: RemoteState


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """Coins, running tasks and key type of one API key."""

    remain_coins: float | None
    current_tasks: int
    api_type: str | None
    remain_money: float | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file uploaded to RunningHub: `file_name` goes into a loader node."""

    file_name: str
    download_url: str | None = None


@dataclass(frozen=True, slots=True)
class WorkflowInput:
    """One input of a workflow node: a literal value, or a link to another node's output."""

    name: str
    value: Any
    link: tuple[str, int] | None = None


@dataclass(frozen=True, slots=True)
class WorkflowNode:
    """One node of a workflow's API JSON."""

    node_id: str
    class_type: str
    title: str | None
    inputs: tuple[WorkflowInput, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkflowGraph:
    """A workflow's API-format graph, with the raw JSON kept for the parser."""

    workflow_id: str
    nodes: tuple[WorkflowNode, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)
