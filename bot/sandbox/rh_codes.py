"""Business codes of the RunningHub API and how each response dialect spells an error.

Four dialects share one origin:

* ``V1``: ``{"code", "msg", "data": null}`` (legacy ``/task/openapi/*``, ``/uc``, ``/api``, seed);
* ``V2_TASK``: the flat v2 task object ``{"taskId": "", "status": "", "errorCode": "<code>",
  "errorMessage", "results": null}`` (run/query); legacy codes keep their number as a string;
* ``V2_UPLOAD``: ``{"code", "message", "data": null}`` (``message`` instead of ``msg``);
* ``V2_ENVELOPE``: ``{"code", "msg", "data": null}`` (queue status).

An unknown key is 802 in V1, ``"1002"`` in V2_TASK and V2_ENVELOPE, and
``{"code": 401, "message": "ApiKey verification failed: ..."}`` in V2_UPLOAD.
"""

from __future__ import annotations

import enum
from typing import Any

V1_MESSAGES: dict[int, str] = {
    0: "success",
    1: "webhook event not exists",
    301: "PARAMS_INVALID",
    380: "WORKFLOW_NOT_EXISTS",
    412: "TOKEN_INVALID",
    414: "TASK_CREATE_FAILED_BY_NOT_ENOUGH_POWER_VALUE",
    415: "TASK_INSTANCE_MAXED",
    416: "TASK_CREATE_FAILED_BY_NOT_ENOUGH_WALLET",
    421: "TASK_QUEUE_MAXED",
    423: "TASK_NOT_FOUNED",
    433: "VALIDATE_PROMPT_FAILED",
    500: "UNKNOWN_ERROR",
    801: "APIKEY_UNSUPPORTED_FREE_USER",
    802: "APIKEY_UNAUTHORIZED",
    803: "APIKEY_INVALID_NODE_INFO",
    804: "APIKEY_TASK_IS_RUNNING",
    805: "APIKEY_TASK_STATUS_ERROR",
    806: "APIKEY_USER_NOT_FOUND",
    807: "APIKEY_TASK_NOT_FOUND",
    808: "APIKEY_UPLOAD_FAILED",
    809: "APIKEY_FILE_SIZE_EXCEEDED",
    810: "WORKFLOW_NOT_SAVED_OR_NOT_RUNNING",
    811: "CORPAPIKEY_INVALID",
    812: "CORPAPIKEY_INSUFFICIENT_FUNDS",
    813: "APIKEY_TASK_IS_QUEUED",
    814: "PERSONAL_QUEUE_COUNT_LIMIT",
    901: "WEBAPP_NOT_EXISTS",
    1520: "TASK_USER_CONCURRENT_LIMIT",
}

V2_MESSAGES: dict[int, str] = {
    1000: "Unknown error, please retry or contact support",
    1001: "Invalid URL, please check your link",
    1002: "Invalid API Key, please check your credentials",
    1003: "Rate limit exceeded, please slow down requests",
    1004: "Task not found, please check the task ID",
    1005: "Internal server error, please retry later",
    1006: "Task execution timed out, please retry",
    1007: "Invalid parameters, please check your input",
    1008: "File size limit exceeded",
    1009: "HTTP method not supported",
    1010: "Service unavailable, please retry later",
    1011: "System is currently busy, please retry later",
    1101: "Node info error",
}

AUTH_CODE = 802
V2_AUTH_CODE = 1002


class Dialect(enum.Enum):
    """How an endpoint spells its errors."""

    V1 = "v1"
    V2_TASK = "v2_task"
    V2_UPLOAD = "v2_upload"
    V2_ENVELOPE = "v2_envelope"


class ApiError(Exception):
    """A business error; the middleware renders it in the endpoint's dialect (HTTP 200)."""

    def __init__(self, code: int, msg: str | None = None, data: Any = None) -> None:
        super().__init__(code)
        self.code = code
        self.msg = msg
        self.data = data


def message_for(code: int) -> str:
    """The canonical message of a v1 or v2 code ("ERROR_<code>" when unknown)."""
    return V1_MESSAGES.get(code) or V2_MESSAGES.get(code) or f"ERROR_{code}"


def dialect_for(path: str) -> Dialect:
    """The error dialect of the endpoint at `path`."""
    if path.startswith("/openapi/v2/media/upload"):
        return Dialect.V2_UPLOAD
    if path.startswith("/openapi/v2/queue"):
        return Dialect.V2_ENVELOPE
    if path.startswith("/openapi/v2/"):
        return Dialect.V2_TASK
    return Dialect.V1


def render_error(dialect: Dialect, error: ApiError) -> dict[str, Any]:
    """The JSON body answering `error` in `dialect`."""
    code = error.code
    if dialect is Dialect.V2_UPLOAD:
        if code == AUTH_CODE:
            return {"code": 401, "message": "ApiKey verification failed: API Key not found"}
        return {"code": code, "message": error.msg or message_for(code), "data": error.data}
    if code == AUTH_CODE and dialect is not Dialect.V1:
        code = V2_AUTH_CODE
    msg = error.msg or message_for(code)
    if dialect is Dialect.V2_TASK:
        return {
            "taskId": "",
            "status": "",
            "errorCode": str(code),
            "errorMessage": msg,
            "results": None,
        }
    return {"code": code, "msg": msg, "data": error.data}
