"""The v2 endpoints (Bearer only): run a workflow, query a task, queue status."""

from __future__ import annotations

from functools import partial

from aiohttp import web

from bot.sandbox.rh_codes import ApiError
from bot.sandbox.rh_core import Core
from bot.sandbox.rh_http import bearer, envelope, note_task, read_json, reply
from bot.sandbox.rh_overrides import from_node_info_list
from bot.sandbox.rh_views import Views


class V2Routes:
    """Handlers of ``/openapi/v2/run/workflow/{id}``, ``/openapi/v2/query``, queue status."""

    def __init__(self, core: Core, views: Views) -> None:
        self._core = core
        self._views = views

    def routes(self) -> list[web.RouteDef]:
        """The route table."""
        return [
            web.post("/openapi/v2/run/workflow/{workflow_id}", self.run),
            web.post("/openapi/v2/query", self.query),
            web.get("/openapi/v2/queue/status", self.queue_status),
            web.post("/openapi/v2/queue/status", self.wrong_method),
        ]

    async def run(self, request: web.Request) -> web.Response:
        """``POST /openapi/v2/run/workflow/{workflowId}`` → the v2 task object."""
        account = self._core.authenticate(bearer(request))
        body = await read_json(request)
        workflow = self._core.workflow(request.match_info["workflow_id"])
        webhook = body.get("webhookUrl")
        instance = body.get("instanceType")
        task = self._core.create_task(
            account,
            workflow,
            partial(from_node_info_list, items=body.get("nodeInfoList")),
            origin="v2",
            path=request.path,
            webhook_url=webhook if isinstance(webhook, str) else None,
            instance_type=instance if isinstance(instance, str) else None,
        )
        note_task(request, task.task_id)
        return reply(self._views.v2_task(task))

    async def query(self, request: web.Request) -> web.Response:
        """``POST /openapi/v2/query {taskId}``: 1007 for a malformed id, 1004 when unknown."""
        account = self._core.authenticate(bearer(request))
        body = await read_json(request)
        raw = str(body.get("taskId", "")).strip()
        if not raw.isdigit() or int(raw) <= 0:
            raise ApiError(1007, "taskId must be greater than 0")
        task = self._core.find_task(account, raw)
        if task is None:
            raise ApiError(1004)
        note_task(request, task.task_id)
        return reply(self._views.v2_task(task))

    async def queue_status(self, request: web.Request) -> web.Response:
        """``GET /openapi/v2/queue/status``: limit as int, counts as strings."""
        account = self._core.authenticate(bearer(request))
        running, queued = account.counts(self._core.now())
        return envelope(
            {
                "apiKeyType": account.api_type,
                "concurrentLimit": account.concurrent_limit,
                "runningCount": str(running),
                "queuedCount": str(queued),
                "totalCurrentTasks": str(running + queued),
            }
        )

    async def wrong_method(self, request: web.Request) -> web.Response:
        """``POST`` on a GET-only endpoint → 1009."""
        raise ApiError(1009)
