"""HTTP plumbing shared by the routes: the middleware (recording, faults, error rendering),
key extraction and JSON helpers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.sandbox.rh_codes import ApiError, Dialect, dialect_for, message_for, render_error
from bot.sandbox.rh_core import Core, RecordedRequest
from bot.sandbox.rh_faults import RESPONSE_KINDS, FaultKind

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RECORD = web.RequestKey("rh_record", RecordedRequest)
SLOW = frozenset({FaultKind.SLOW})
BAD_GATEWAY = "<html><head><title>502 Bad Gateway</title></head><body>502</body></html>"
MAINTENANCE = "<!DOCTYPE html><html><body><h1>System maintenance</h1></body></html>"


def reply(body: Any) -> web.Response:
    """A JSON response (HTTP 200), keeping non-ASCII text readable."""
    return web.json_response(body, dumps=lambda obj: json.dumps(obj, ensure_ascii=False))


def envelope(data: Any, code: int = 0, msg: str | None = None) -> web.Response:
    """A v1-style ``{"code", "msg", "data"}`` response."""
    return reply({"code": code, "msg": msg or message_for(code), "data": data})


def bearer(request: web.Request) -> str | None:
    """The key from ``Authorization: Bearer <key>`` (or a bare key), if any."""
    header = request.headers.get("Authorization", "").strip()
    if header.lower().startswith("bearer "):
        header = header[7:].strip()
    return header or None


def body_key(request: web.Request, body: dict[str, Any]) -> str | None:
    """The key from the body (``apiKey``/``apikey``), the query string, or the header."""
    for name in ("apiKey", "apikey"):
        if isinstance(body.get(name), str) and body[name]:
            return str(body[name])
    return request.query.get("apiKey") or bearer(request)


async def read_json(request: web.Request) -> dict[str, Any]:
    """The JSON object body (empty when there is no body); ApiError 301/1007 otherwise."""
    bad = 1007 if dialect_for(request.path) is Dialect.V2_TASK else 301
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise ApiError(bad, "body must be JSON") from None
    if not isinstance(body, dict):
        raise ApiError(bad, "body must be a JSON object")
    return body


def note_task(request: web.Request, task_id: str) -> None:
    """Attach a task id to the request's record (for request counting per task)."""
    request[RECORD].task_id = task_id


async def _handle(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as error:
        return reply(render_error(dialect_for(request.path), error))


def make_middleware(core: Core) -> Any:
    """The middleware: record, apply faults, render ApiError in the endpoint's dialect."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        request[RECORD] = core.record(request.method, path)
        slow = core.faults.take(path, SLOW)
        if slow is not None:
            await asyncio.sleep(slow.delay)
        fault = core.faults.take(path, RESPONSE_KINDS)
        if fault is None:
            return await _handle(request, handler)
        if fault.kind is FaultKind.DROP:
            if fault.after_create:
                await _handle(request, handler)
            if request.transport is not None:
                request.transport.close()
            return web.Response()
        if fault.kind is FaultKind.HTTP_502:
            return web.Response(status=502, text=BAD_GATEWAY, content_type="text/html")
        if fault.kind is FaultKind.NON_JSON:
            return web.Response(text=MAINTENANCE, content_type="text/html")
        error = ApiError(fault.code or 500, fault.message)
        return reply(render_error(dialect_for(path), error))

    return middleware
