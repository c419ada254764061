"""RunningHub response parsing under random JSON: a valid result or a RunningHubError, nothing else.

Shapes are the real ones with any field missing, of the wrong type, numbers as strings, ids as
JSON numbers, and stray keys; plus arbitrary JSON. The @example cases are ones found this way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.runninghub import parsing, seed
from bot.runninghub.errors import RunningHubError
from bot.runninghub.graph import parse_graph
from bot.runninghub.models import AccountStatus, RemoteState, TaskStatus, WorkflowGraph
from tests.faults.strategies import (
    accounts,
    envelopes,
    graphs,
    json_values,
    seed_statuses,
    v2_tasks,
)

T = TypeVar("T")
FUZZ = settings(max_examples=250, deadline=None, database=None)


def outcome(call: Callable[[], T]) -> T | None:
    """The call's result, or None when it raised a RunningHubError (anything else propagates)."""
    try:
        return call()
    except RunningHubError:
        return None


def check_status(status: TaskStatus | None) -> None:
    """A parsed status is well-formed: an id, a known state, outputs only on success."""
    if status is None:
        return
    assert isinstance(status.task_id, str)
    assert status.task_id.strip()
    assert isinstance(status.state, RemoteState)
    assert status.state is RemoteState.SUCCESS or not status.outputs
    assert all(isinstance(o.file_type, str) for o in status.outputs)


@FUZZ
@given(body=st.one_of(v2_tasks, json_values), task_id=st.sampled_from(["1937523648815677442", "7"]))
@example(body={"taskId": " ", "status": "QUEUED"}, task_id="7")
def test_v2_query_answers_parse_or_raise_runninghub_errors(body: Any, task_id: str) -> None:
    """`parse_v2_task` on any v2 query body: a well-formed TaskStatus or a RunningHubError."""
    check_status(outcome(lambda: parsing.parse_v2_task(body, task_id, "task 7")))


@FUZZ
@given(body=st.one_of(seed_statuses, json_values))
@example(body={"code": 0, "data": {"taskStatus": "FAILED", "msg": 5}})
def test_seed_status_answers_parse_or_raise_runninghub_errors(body: Any) -> None:
    """`seed.parse_status` on any status body: a well-formed TaskStatus or a RunningHubError."""
    check_status(outcome(lambda: seed.parse_status(body, "1937523648815677442", "task")))


@FUZZ
@given(body=st.one_of(envelopes, json_values))
def test_envelopes_unwrap_or_raise_runninghub_errors(body: Any) -> None:
    """`unwrap` on any body: the envelope (code 0 only) or a RunningHubError."""
    env = outcome(lambda: parsing.unwrap(body, "a call"))
    assert env is None or str(env.code).strip() == "0"


@FUZZ
@given(data=st.one_of(accounts, json_values))
@example(data={"currentTaskCounts": "inf"})
@example(data={"currentTaskCounts": "nan"})
@example(data={"currentTaskCounts": 1e309})
def test_account_status_parses_or_raises_runninghub_errors(data: Any) -> None:
    """`parse_account` on any accountStatus data: an AccountStatus or a RunningHubError."""
    account = outcome(lambda: parsing.parse_account(data))
    if account is not None:
        assert isinstance(account, AccountStatus)
        assert isinstance(account.current_tasks, int)


@FUZZ
@given(
    prompt=st.one_of(graphs, graphs.map(json.dumps), json_values, st.text(max_size=40)),
    workflow_id=st.one_of(st.just("1904136902449209346"), st.text(max_size=5)),
)
def test_workflow_json_parses_or_raises_runninghub_errors(prompt: Any, workflow_id: str) -> None:
    """`parse_graph` on any getJsonApiFormat prompt: a WorkflowGraph or a RunningHubError."""
    graph = outcome(lambda: parse_graph(workflow_id, prompt))
    if graph is not None:
        assert isinstance(graph, WorkflowGraph)
        assert all(isinstance(node.class_type, str) for node in graph.nodes)
