"""The RunningHub error tree: every failure of the client is one of these.

```
RunningHubError                   base; carries code, remote message and HTTP status, never the key
├── AuthenticationError           401/802/806/811/1002/1601, HTTP 401/403: key wrong, disabled, other site
├── NotFoundError                 380/807/423/901/1004: unknown workflow, task or app
├── InvalidRequestError           301/803/810/433/809/1007/1101…: fix the input; `node_errors` from ComfyUI
├── CapacityError                 421/415/814/1520/1011: the task was NOT created, resubmit later
├── BillingError                  414/416/812/801/436: coins, wallet or membership (801 = free account)
├── TaskFailedError               the task itself failed (validation at create time)
├── TransientError                transport errors, HTTP 5xx, non-JSON or malformed bodies, read timeouts
│   └── MalformedResponseError    the body parsed but had the wrong shape
└── OutcomeUnknownError           a create whose request may have reached the server: never resubmit
```

`classify()` is the one place that maps a remote code to a class.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class RunningHubError(Exception):
    """Base of every client error; the message never holds an API key or a URL with one."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        remote_message: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.remote_message = remote_message
        self.http_status = http_status


class AuthenticationError(RunningHubError):
    """The API key was rejected (invalid, disabled, or from the other site)."""


class NotFoundError(RunningHubError):
    """The workflow, task or app does not exist (or no longer does)."""


class InvalidRequestError(RunningHubError):
    """The request was refused as invalid; `node_errors` holds ComfyUI's per-node details."""

    def __init__(self, message: str, *, node_errors: Mapping[str, Any] | None = None, **kw: Any):
        super().__init__(message, **kw)
        self.node_errors: Mapping[str, Any] = node_errors or {}


class CapacityError(RunningHubError):
    """The key's concurrency is full; the task was not created and may be resubmitted later."""


class BillingError(RunningHubError):
    """Not enough coins or wallet money, or a free account that cannot use the API."""


class TaskFailedError(RunningHubError):
    """The task failed (e.g. its graph failed validation when it was created)."""


class TransientError(RunningHubError):
    """A temporary failure (network, 5xx, bad body); reads retry it."""


class MalformedResponseError(TransientError):
    """The response was JSON of an unexpected shape."""


class OutcomeUnknownError(RunningHubError):
    """A create may or may not have reached RunningHub; it is never resubmitted automatically."""


_BY_CODE: dict[str, type[RunningHubError]] = {}
for _cls, _codes in (
    (AuthenticationError, "401 802 806 811 1002 1601"),
    (NotFoundError, "380 807 423 901 1004"),
    (
        InvalidRequestError,
        "1 301 412 433 435 803 809 810 1001 1007 1008 1009 1013 1014 1101 1501 1505",
    ),
    (CapacityError, "415 421 814 1520 1011"),
    (BillingError, "414 416 436 801 812"),
    (TransientError, "500 808 1000 1003 1005 1010 1012"),
):
    for _code in _codes.split():
        _BY_CODE[_code] = _cls

FREE_ACCOUNT_CODE = "801"


def classify(code: object, remote_message: str | None, *, what: str) -> RunningHubError:
    """Return the error for a non-zero RunningHub code (v1 `code` or v2 `errorCode`)."""
    text = str(code).strip()
    cls = _BY_CODE.get(text)
    lowered = (remote_message or "").lower()
    if cls is None:
        if any(word in lowered for word in ("balance", "insufficient", "余额")):
            cls = BillingError
        elif "apikey verification" in lowered or "unauthorized" in lowered:
            cls = AuthenticationError
        else:
            cls = InvalidRequestError
    label = remote_message or "no message"
    return cls(
        f"RunningHub refused {what}: {text} {label}", code=text, remote_message=remote_message
    )
