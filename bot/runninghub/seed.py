"""The `seed` dialect: the old README's `createWithParams` and `GET /task/openapi/status`.

Parameters travel as a flat `params` dict keyed `nodeId.fieldName`; the status answer is
`{code, msg, data: {taskStatus, result}}` where `result` carries `outputs` (v1 file items),
`taskCostTime`, `consumeCoins` and, on failure, `failedReason` — the shape our emulator serves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.runninghub import parsing
from bot.runninghub.errors import MalformedResponseError
from bot.runninghub.models import NodeOverride, RemoteState, TaskStatus, normalise_state


def create_body(workflow_id: str, overrides: Sequence[NodeOverride]) -> dict[str, Any]:
    """Build a createWithParams body (the key is added by the caller)."""
    params = {f"{o.node_id}.{o.field}": o.value for o in overrides}
    return {"workflowId": workflow_id, "params": params}


def parse_status(body: Any, task_id: str, what: str) -> TaskStatus:
    """Turn a seed status answer into a TaskStatus."""
    data = parsing.unwrap(body, what).data
    if not isinstance(data, dict):
        raise MalformedResponseError(f"RunningHub sent an unexpected status body for {what}")
    state = normalise_state(data.get("taskStatus"))
    if state is None:
        raise MalformedResponseError(f"RunningHub sent an unknown task status for {what}")
    raw_result = data.get("result")
    result: dict[str, Any] = raw_result if isinstance(raw_result, dict) else {}
    failure = None
    if state is RemoteState.FAILED:
        failure = parsing.failure_from(result.get("failedReason"), data.get("msg"))
    return TaskStatus(
        task_id=task_id,
        state=state,
        outputs=parsing.outputs_from(result.get("outputs")) if state is RemoteState.SUCCESS else (),
        failure=failure,
        cost_coins=parsing.to_float(result.get("consumeCoins")),
        cost_seconds=parsing.to_float(result.get("taskCostTime")),
    )
