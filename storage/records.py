"""Frozen records the repositories return, and the vocabulary shared with callers.

Times are UTC seconds since the epoch as ``float`` everywhere (stored as REAL); repositories
that stamp times take an injectable ``clock`` (default ``time.time``). JSON columns are kept
as their text (``*_json``) so records stay immutable and hashable; the ``inputs`` and
``defaults`` properties parse a fresh copy on each access.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from storage.states import TaskState, check_transition

__all__ = [
    "ApiKeyRecord",
    "Clock",
    "JsonValue",
    "NewOutput",
    "Output",
    "Preset",
    "ScopeKind",
    "Task",
    "TaskState",
    "User",
    "check_transition",
]

Clock = Callable[[], float]
JsonValue = dict[str, Any] | list[Any]
ScopeKind = Literal["user", "chat"]


@dataclass(frozen=True, slots=True)
class User:
    """A Telegram user the bot has seen."""

    user_id: int
    language: str | None  # chosen with /lang; None = not chosen
    client_language: str | None  # Telegram's language_code, as last seen
    created_at: float


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    """What is known about a stored API key without decrypting it (never the key itself)."""

    user_id: int
    key_version: str  # id of the master key that encrypted it
    fingerprint: str  # for display only, e.g. "…3f9a"
    key_ref: str  # keyed HMAC: equal for equal keys, useless without the master key
    stored_at: float
    validated_at: float | None


@dataclass(frozen=True, slots=True)
class Task:
    """One requested workflow run, from the user's command to its last delivered output."""

    task_id: int
    owner_id: int
    chat_id: int
    thread_id: int | None
    command_message_id: int
    status_message_id: int | None
    workflow_id: str
    inputs_json: str
    remote_id: str | None
    state: TaskState
    attempts: int
    next_poll_at: float | None
    error_text: str | None
    cost_coins: float | None
    cost_seconds: float | None
    submitted_at: float | None  # when RunningHub accepted it (deadlines count from here)
    delivered_at: float | None  # outcome (outputs or failure notice) fully delivered
    created_at: float
    updated_at: float

    @property
    def inputs(self) -> JsonValue:
        """The task's inputs as parsed JSON (a fresh copy)."""
        value: JsonValue = json.loads(self.inputs_json)
        return value


@dataclass(frozen=True, slots=True)
class NewOutput:
    """An output reported by RunningHub, before it is stored.

    ``index`` defaults to the output's position in the list given to ``Outputs.add_many``.
    """

    index: int | None = None
    url: str | None = None
    file_type: str = ""  # extension as RunningHub reports it ("png", "mp4", "txt"); "" unknown
    node_id: str | None = None
    text: str | None = None
    size_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class Output:
    """A stored output of a task and its delivery to Telegram."""

    output_id: int
    task_id: int
    index: int
    url: str | None
    file_type: str
    node_id: str | None
    text: str | None
    size_bytes: int | None
    delivered_at: float | None
    telegram_file_id: str | None  # to resend or share inline without uploading again
    delivered_kind: str | None  # how it was sent: "photo", "video", "document", ...
    created_at: float


@dataclass(frozen=True, slots=True)
class Preset:
    """A named workflow with default inputs, saved for a user or a chat."""

    preset_id: int
    scope_kind: ScopeKind
    scope_id: int
    name: str
    workflow_id: str
    defaults_json: str
    created_at: float
    updated_at: float

    @property
    def defaults(self) -> dict[str, Any]:
        """The default inputs as parsed JSON (a fresh copy)."""
        value: dict[str, Any] = json.loads(self.defaults_json)
        return value
