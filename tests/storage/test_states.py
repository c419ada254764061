"""The task state machine: final states never change, stopped ones may learn the outcome."""

from __future__ import annotations

import itertools

import pytest

from storage.errors import IllegalTransitionError
from storage.states import (
    ACTIVE_STATES,
    FINAL_STATES,
    POLLED_STATES,
    STOPPED_STATES,
    TRANSITIONS,
    TaskState,
    check_transition,
)

S = TaskState


def _reachable(start: TaskState) -> set[TaskState]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_every_state_has_a_rule() -> None:
    """The table covers every state and only names known states."""
    assert set(TRANSITIONS) == set(TaskState)
    assert all(targets <= set(TaskState) for targets in TRANSITIONS.values())


@pytest.mark.parametrize("final", sorted(FINAL_STATES))
def test_final_states_never_change(final: TaskState) -> None:
    """SUCCESS, FAILED and CANCELLED accept no transition at all, not even to themselves."""
    for new in TaskState:
        with pytest.raises(IllegalTransitionError):
            check_transition(final, new)


def test_stopped_states_may_still_reach_the_real_outcome() -> None:
    """TIMED_OUT and UNKNOWN may become final; only UNKNOWN may resume polling."""
    for stopped in STOPPED_STATES:
        for final in FINAL_STATES:
            check_transition(stopped, final)
    check_transition(S.UNKNOWN, S.RUNNING)
    check_transition(S.UNKNOWN, S.QUEUED)
    with pytest.raises(IllegalTransitionError):
        check_transition(S.TIMED_OUT, S.RUNNING)
    for stopped, back in itertools.product(STOPPED_STATES, (S.PENDING, S.SUBMITTING)):
        with pytest.raises(IllegalTransitionError):
            check_transition(stopped, back)


def test_every_state_is_reachable_and_can_finish() -> None:
    """From PENDING every state is reachable, and from every state a final state is."""
    assert _reachable(S.PENDING) == set(TaskState)
    for state in TaskState:
        assert state.is_final or _reachable(state) & FINAL_STATES


def test_only_polled_states_may_repeat() -> None:
    """QUEUED/RUNNING may refresh themselves; a second claim of PENDING->SUBMITTING fails."""
    for state in TaskState:
        allowed = state in TRANSITIONS[state]
        assert allowed == (state in POLLED_STATES), state
    check_transition(S.PENDING, S.SUBMITTING)
    with pytest.raises(IllegalTransitionError, match="SUBMITTING -> SUBMITTING"):
        check_transition(S.SUBMITTING, S.SUBMITTING)


def test_the_happy_path_and_the_requeue_are_allowed() -> None:
    """PENDING→SUBMITTING→QUEUED→RUNNING→SUCCESS works, and a full remote queue goes back."""
    for old, new in itertools.pairwise([S.PENDING, S.SUBMITTING, S.QUEUED, S.RUNNING, S.SUCCESS]):
        check_transition(old, new)
    check_transition(S.SUBMITTING, S.PENDING)
    check_transition(S.SUBMITTING, S.UNKNOWN)
    with pytest.raises(IllegalTransitionError):
        check_transition(S.RUNNING, S.QUEUED)
    with pytest.raises(IllegalTransitionError):
        check_transition(S.PENDING, S.RUNNING)


def test_error_carries_the_states_and_task() -> None:
    """IllegalTransitionError names both states and the task id, as attributes too."""
    with pytest.raises(IllegalTransitionError) as info:
        check_transition(S.SUCCESS, S.RUNNING, task_id=12)
    assert (info.value.task_id, info.value.old, info.value.new) == (12, "SUCCESS", "RUNNING")
    assert "task 12" in str(info.value)


def test_state_groups() -> None:
    """is_terminal = final or stopped; active and polled are the in-flight states."""
    for state in TaskState:
        assert state.is_terminal == (state.is_final or state.is_stopped)
        assert state.is_active == (state in ACTIVE_STATES)
        assert state.is_polled == (state in POLLED_STATES)
        assert not (state.is_active and state.is_terminal)
    assert {s for s in TaskState if s.is_terminal} == FINAL_STATES | STOPPED_STATES
    assert not S.PENDING.is_active
    assert not S.PENDING.is_terminal
