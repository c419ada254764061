"""Validate raw RunningHub bodies with pydantic at the edge and turn them into `models`.

Numbers arrive as strings or numbers, ids as 19-digit strings or JSON numbers, `traceback` as a
string or a list; every such variation is absorbed here. A body of the wrong shape raises
`MalformedResponseError`; a non-zero business code raises the class `errors.classify` picks.
"""

from __future__ import annotations

import json
import math
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bot.runninghub.errors import InvalidRequestError, MalformedResponseError, classify
from bot.runninghub.models import (
    AccountStatus,
    FailureReason,
    RemoteState,
    TaskOutput,
    TaskStatus,
    normalise_state,
)

_MAX_FAILURE_CHARS = 600


class _Lax(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _id_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("id must be a string or an integer")
    text = str(value).strip()
    if not text:
        raise ValueError("id is empty")
    return text


def to_float(value: Any) -> float | None:
    """Parse a number sent as a number or a string; None when absent or unparsable."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


class Envelope(_Lax):
    """The v1 envelope `{code, msg, data}` (v2 uploads say `message` instead of `msg`)."""

    code: int | str
    msg: str | None = None
    message: str | None = None
    data: Any = None


def validate(model: type[_Lax], body: Any, what: str) -> Any:
    """Validate `body` against `model`, raising MalformedResponseError (no body echoed)."""
    try:
        return model.model_validate(body)
    except ValidationError:
        raise MalformedResponseError(f"RunningHub sent an unexpected body for {what}") from None


def unwrap(body: Any, what: str, *, ok_codes: frozenset[str] = frozenset({"0"})) -> Envelope:
    """Check a v1 envelope; raise the classified error unless its code is in `ok_codes`."""
    env: Envelope = validate(Envelope, body, what)
    if str(env.code).strip() not in ok_codes:
        raise classify(env.code, env.msg or env.message, what=what)
    return env


def failure_from(raw: Any, fallback: str | None = None) -> FailureReason:
    """Build a FailureReason from `failedReason` (dict) or a fallback message."""
    fallback = str(fallback) if fallback is not None else None
    if not isinstance(raw, dict) or not raw:
        return FailureReason(message=(fallback or "unknown error")[:_MAX_FAILURE_CHARS])
    message = raw.get("exception_message") or fallback or "unknown error"
    node_id = raw.get("node_id")
    return FailureReason(
        message=str(message)[:_MAX_FAILURE_CHARS],
        node_id=str(node_id) if node_id is not None else None,
        node_name=str(raw["node_name"]) if raw.get("node_name") else None,
        exception_type=str(raw["exception_type"]) if raw.get("exception_type") else None,
    )


def output_from(item: Any) -> TaskOutput | None:
    """Build a TaskOutput from a v1 (`fileUrl`/`fileType`) or v2 (`url`/`outputType`) item."""
    if not isinstance(item, dict):
        return None
    url = item.get("fileUrl") or item.get("url") or item.get("outputUrl")
    text = item.get("text") if item.get("text") is not None else item.get("content")
    file_type = item.get("fileType") or item.get("outputType") or ("txt" if text else "")
    node = item.get("nodeId")
    if not url and text is None:
        return None
    return TaskOutput(
        file_type=str(file_type).lower().lstrip("."),
        url=str(url) if url else None,
        node_id=str(node) if node is not None else None,
        text=str(text) if text is not None else None,
    )


def outputs_from(items: Any) -> tuple[TaskOutput, ...]:
    """Build every TaskOutput of a result list, skipping entries with neither URL nor text."""
    if not isinstance(items, list):
        return ()
    return tuple(out for out in map(output_from, items) if out is not None)


def check_prompt_tips(tips: Any, what: str) -> None:
    """Raise InvalidRequestError when `promptTips` reports a ComfyUI validation failure."""
    if not isinstance(tips, str) or not tips.strip():
        return
    try:
        parsed = json.loads(tips)
    except ValueError:
        return
    if not isinstance(parsed, dict):
        return
    node_errors = parsed.get("node_errors")
    if parsed.get("result") is False or (isinstance(node_errors, dict) and node_errors):
        error = parsed.get("error")
        detail = error.get("message") if isinstance(error, dict) else error
        raise InvalidRequestError(
            f"RunningHub refused {what}: workflow validation failed ({detail or 'node errors'})",
            code="433",
            remote_message=str(detail) if detail else None,
            node_errors=node_errors if isinstance(node_errors, dict) else {},
        )


class V2Task(_Lax):
    """The flat v2 task object of `/openapi/v2/query` and `/openapi/v2/run/*`."""

    taskId: str | int | None = None
    status: str | None = None
    errorCode: str | int | None = None
    errorMessage: str | None = None
    results: list[Any] | None = None
    failedReason: Any = None
    usage: dict[str, Any] | None = None

    @field_validator("errorCode", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        return "" if value in (None, 0, "0") else value


def parse_v2_task(body: Any, task_id: str, what: str) -> TaskStatus:
    """Turn a v2 query answer into a TaskStatus, or raise the classified request error."""
    task: V2Task = validate(V2Task, body, what)
    state = normalise_state(task.status)
    code = str(task.errorCode or "").strip()
    if state is None:
        if code:
            raise classify(code, task.errorMessage, what=what)
        raise MalformedResponseError(f"RunningHub sent an unknown task status for {what}")
    usage = task.usage or {}
    failure = None
    if state is RemoteState.FAILED:
        failure = failure_from(task.failedReason, task.errorMessage or (code or None))
    try:
        reported = _id_text(task.taskId) if task.taskId is not None else task_id
    except ValueError:
        reported = task_id
    return TaskStatus(
        task_id=reported,
        state=state,
        outputs=outputs_from(task.results) if state is RemoteState.SUCCESS else (),
        failure=failure,
        cost_coins=to_float(usage.get("consumeCoins")),
        cost_seconds=to_float(usage.get("taskCostTime")),
    )


class _Account(_Lax):
    remainCoins: Any = None
    currentTaskCounts: Any = None
    remainMoney: Any = None
    currency: str | None = None
    apiType: str | None = None


def parse_account(data: Any) -> AccountStatus:
    """Turn accountStatus `data` into an AccountStatus (numbers arrive as strings)."""
    account: _Account = validate(_Account, data, "account status")
    tasks = to_float(account.currentTaskCounts)
    return AccountStatus(
        remain_coins=to_float(account.remainCoins),
        current_tasks=int(tasks) if tasks is not None else 0,
        api_type=account.apiType,
        remain_money=to_float(account.remainMoney),
        currency=account.currency,
    )


def task_id_from(value: Any, what: str) -> str:
    """Validate a task id (string or JSON number) into its exact decimal text."""
    try:
        return _id_text(value)
    except ValueError:
        raise MalformedResponseError(f"RunningHub sent no task id for {what}") from None
