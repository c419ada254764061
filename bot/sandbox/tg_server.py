"""The HTTP side of the fake Bot API: routes, token check, faults, flood limits, recording.

Routes: `/bot<token>/<method>` (POST or GET) and `/file/bot<token>/<file_path>` downloads.
Synchronous method handlers run under one lock shared with the users' side, so users may be
driven from another thread while the server runs.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.sandbox.tg_calls import Call, CallLog
from bot.sandbox.tg_core import Core, Files, Handler
from bot.sandbox.tg_decode import read_body
from bot.sandbox.tg_errors import ApiError, Fault, FaultQueue, too_many_requests
from bot.sandbox.tg_flood import FloodControl, is_flooded_method
from bot.sandbox.tg_polling import ASYNC_METHODS
from bot.sandbox.tg_state import JSON

MAX_REQUEST = 64 * 1024 * 1024
AsyncHandler = Callable[[Core, JSON], Awaitable[Any]]


class ApiServer:
    """Serves the Bot API for one token on 127.0.0.1."""

    def __init__(
        self,
        core: Core,
        token: str,
        methods: dict[str, Handler],
        lock: threading.RLock,
        clock: Callable[[], float],
        flood: FloodControl | None,
    ) -> None:
        self.core = core
        self.log = CallLog()
        self.faults = FaultQueue()
        self.flood = flood
        self._token = token
        self._methods = methods
        self._lock = lock
        self._clock = clock
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> str:
        """Start listening; return the origin `http://host:port`."""
        app = web.Application(client_max_size=MAX_REQUEST)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self.core.updates.bind(asyncio.get_running_loop())
        bound_host, bound_port = runner.addresses[0][:2]
        return f"http://{bound_host}:{bound_port}"

    async def stop(self) -> None:
        """Stop webhook delivery and the HTTP server."""
        await self.core.webhook.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        call = Call(method=method, params={}, time=self._clock())
        try:
            if request.match_info["token"] != self._token:
                raise ApiError(401, "Unauthorized")
            call.params, call.files = await read_body(
                request, keep_bytes=self.core.files.keep_bytes
            )
            fault = self.faults.take(method, after_processing=False)
            if fault is not None:
                raise fault.error()
            call.result = await self._execute(method, call.params, call.files)
        except ApiError as exc:
            call.status, call.error = exc.status, exc.description
            self.log.record(call)
            return web.json_response(exc.envelope(), status=exc.status)
        except Exception as exc:  # an emulator bug: answer 500, keep it visible in `calls`
            error = ApiError(500, f"Internal Server Error: {type(exc).__name__}: {exc}")
            call.status, call.error = error.status, error.description
            self.log.record(call)
            return web.json_response(error.envelope(), status=500)
        self.log.record(call)
        after = self.faults.take(method, after_processing=True)
        if after is not None:
            return await _fail_after(request, after)
        return web.json_response({"ok": True, "result": call.result})

    async def _execute(self, method: str, params: JSON, files: Files) -> Any:
        async_handler = ASYNC_METHODS.get(method)
        if async_handler is not None:
            return await async_handler(self.core, params)
        handler = self._methods.get(method)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        flooded = self.flood is not None and is_flooded_method(method)
        chat_key = params.get("chat_id") if isinstance(params.get("chat_id"), int | str) else None
        if self.flood is not None and flooded:
            retry_after = self.flood.check(chat_key)
            if retry_after is not None:
                raise too_many_requests(retry_after)
        with self._lock:
            result = handler(self.core, params, files)
        if self.flood is not None and flooded:
            self.flood.record(chat_key, len(result) if isinstance(result, list) else 1)
        return result

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self._token:
            raise web.HTTPNotFound
        stored = self.core.files.by_path(request.match_info["path"])
        if stored is None or stored.data is None:
            raise web.HTTPNotFound
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )


async def _fail_after(request: web.Request, fault: Fault) -> web.StreamResponse:
    """The call took effect, but the client never gets the answer (hang, or dropped)."""
    if fault.hang_seconds is not None:
        await asyncio.sleep(fault.hang_seconds)
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise asyncio.CancelledError
