"""RunningHub's completion callbacks (`webhookUrl`), served in the bot process with aiohttp.

Callbacks are unsigned, so one is only a hint: the named task, if the ledger knows it, is
polled at once and its real state comes from RunningHub. Unknown ids are ignored, bodies are
capped at 64 KB, and polling goes on at a slow pace as the safety net.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
OnFinished = Callable[[str], Awaitable[bool]]


def task_id_of(body: bytes) -> str | None:
    """The taskId of a callback body, or None when it is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    task_id = data.get("taskId")
    if isinstance(task_id, bool) or not isinstance(task_id, (str, int)):
        return None
    text = str(task_id).strip()
    return text if text.isdigit() and len(text) <= 32 else None


class CallbackServer:
    """Listens for RunningHub callbacks on the path of RUNNINGHUB_WEBHOOK_URL."""

    def __init__(self, url: str, listen: str, port: int, on_finished: OnFinished) -> None:
        self._path = urlsplit(url).path or "/"
        self._listen = listen
        self._port = port
        self._on_finished = on_finished
        self._runner: web.AppRunner | None = None
        self.received = 0

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        task_id = task_id_of(body)
        if task_id is None:
            return web.json_response({"ok": False}, status=400)
        self.received += 1
        known = await self._on_finished(task_id)
        if not known:
            log.info("callback for a task this bot does not know; ignored")
        return web.json_response({"ok": True})

    async def start(self) -> None:
        """Start listening."""
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self._path, self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._listen, self._port).start()

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
