"""Task states and the one table of allowed transitions between them.

Lifecycle::

    PENDING ──► SUBMITTING ──► QUEUED ──► RUNNING ──► SUCCESS | FAILED | CANCELLED
       │             │  └──► UNKNOWN (submit outcome not known)     ▲
       │             └──► PENDING (remote queue full: wait locally) │
       └──► CANCELLED | FAILED            QUEUED/RUNNING ──► TIMED_OUT

Three groups:

* active (``SUBMITTING``, ``QUEUED``, ``RUNNING``) hold a slot on the RunningHub key;
  ``QUEUED`` and ``RUNNING`` are the polled ones;
* final (``SUCCESS``, ``FAILED``, ``CANCELLED``) never change again;
* stopped (``TIMED_OUT``, ``UNKNOWN``) are no longer polled, but a manual lookup may still
  reveal the real outcome: both may move to a final state, and ``UNKNOWN`` may also resume
  polling (``QUEUED``/``RUNNING``) once its remote task id is known.

``is_terminal`` is true for final and stopped states. ``QUEUED``/``RUNNING`` may "move" to
themselves (the poller refreshes fields); no other state may, so two coroutines claiming the
same PENDING task cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from storage.errors import IllegalTransitionError


class TaskState(StrEnum):
    """Where a task is in its life; stored as its name."""

    PENDING = "PENDING"
    SUBMITTING = "SUBMITTING"
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    TIMED_OUT = "TIMED_OUT"
    UNKNOWN = "UNKNOWN"

    @property
    def is_final(self) -> bool:
        """True for SUCCESS, FAILED and CANCELLED, which never change again."""
        return self in FINAL_STATES

    @property
    def is_stopped(self) -> bool:
        """True for TIMED_OUT and UNKNOWN: not polled, but the real outcome may follow."""
        return self in STOPPED_STATES

    @property
    def is_terminal(self) -> bool:
        """True when nothing automatic happens to the task any more (final or stopped)."""
        return self in FINAL_STATES or self in STOPPED_STATES

    @property
    def is_active(self) -> bool:
        """True while the task holds (or is taking) a slot on the RunningHub key."""
        return self in ACTIVE_STATES

    @property
    def is_polled(self) -> bool:
        """True for the states the poller asks RunningHub about."""
        return self in POLLED_STATES


FINAL_STATES = frozenset({TaskState.SUCCESS, TaskState.FAILED, TaskState.CANCELLED})
STOPPED_STATES = frozenset({TaskState.TIMED_OUT, TaskState.UNKNOWN})
ACTIVE_STATES = frozenset({TaskState.SUBMITTING, TaskState.QUEUED, TaskState.RUNNING})
POLLED_STATES = frozenset({TaskState.QUEUED, TaskState.RUNNING})

_S = TaskState
TRANSITIONS: Mapping[TaskState, frozenset[TaskState]] = MappingProxyType(
    {
        _S.PENDING: frozenset({_S.SUBMITTING, _S.CANCELLED, _S.FAILED}),
        _S.SUBMITTING: frozenset(
            {_S.PENDING, _S.QUEUED, _S.RUNNING, _S.SUCCESS, _S.FAILED, _S.UNKNOWN}
        ),
        _S.QUEUED: frozenset(
            {_S.QUEUED, _S.RUNNING, _S.SUCCESS, _S.FAILED, _S.CANCELLED, _S.TIMED_OUT}
        ),
        _S.RUNNING: frozenset({_S.RUNNING, _S.SUCCESS, _S.FAILED, _S.CANCELLED, _S.TIMED_OUT}),
        _S.TIMED_OUT: FINAL_STATES,
        _S.UNKNOWN: FINAL_STATES | POLLED_STATES,
        _S.SUCCESS: frozenset(),
        _S.FAILED: frozenset(),
        _S.CANCELLED: frozenset(),
    }
)


def check_transition(old: TaskState, new: TaskState, task_id: int | None = None) -> None:
    """Raise IllegalTransitionError unless the table allows ``old -> new``."""
    if new not in TRANSITIONS[old]:
        raise IllegalTransitionError(task_id, old.value, new.value)
