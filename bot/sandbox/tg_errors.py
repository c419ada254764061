"""Bot API errors and injected faults of the fake Telegram server.

An `ApiError` raised by a method handler becomes Telegram's error envelope
`{"ok": false, "error_code", "description", "parameters"}` with the same HTTP status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description, optional parameters."""

    def __init__(self, status: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = {k: v for k, v in parameters.items() if v is not None}

    def envelope(self) -> dict[str, Any]:
        """Return the JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def bad_request(detail: str, **parameters: Any) -> ApiError:
    """Build a `400 Bad Request: <detail>` error."""
    return ApiError(400, f"Bad Request: {detail}", **parameters)


def forbidden(detail: str) -> ApiError:
    """Build a `403 Forbidden: <detail>` error."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """Build a `429 Too Many Requests` error carrying `retry_after` seconds."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


@dataclass
class Fault:
    """One scheduled fault: the next `count` calls of `method` ("*" = any) fail."""

    method: str
    count: int
    status: int = 0
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    after_processing: bool = False
    hang_seconds: float | None = None

    def matches(self, method: str) -> bool:
        """Tell whether this fault applies to a call of `method`."""
        return self.count > 0 and self.method in ("*", method)

    def error(self) -> ApiError:
        """Return the error this fault answers with."""
        return ApiError(self.status, self.description, **self.parameters)


class FaultQueue:
    """Faults in the order they were injected; each match uses up one of its count."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Schedule a fault."""
        if fault.count > 0:
            self._faults.append(fault)

    def take(self, method: str, *, after_processing: bool) -> Fault | None:
        """Use up and return the first fault for `method` of the given kind, if any."""
        for fault in self._faults:
            if fault.after_processing == after_processing and fault.matches(method):
                fault.count -= 1
                if fault.count == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Drop every scheduled fault."""
        self._faults.clear()
