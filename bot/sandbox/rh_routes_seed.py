"""The "seed" dialect (the team's old README; not part of the real API).

* ``POST /task/openapi/createWithParams`` ``{apiKey, workflowId, params: {<key>: value},
  webhookUrl?}``: keys are ``nodeId.fieldName`` or a bare ``fieldName`` resolved through the
  API graph. Success: ``{"code": 0, "msg": "success", "data": <same as v1 create data>}``.
  A bad key: ``{"code": 803, "msg": "APIKEY_INVALID_NODE_INFO", "data": {"error":
  "unknown_param" | "ambiguous_param" | "node_not_found_in_workflow" | "field_not_found_in_node"
  | "field_is_a_link" | "bad_field_value" | "file_not_uploaded", "param": <key>,
  "candidates": ["6.text", "7.text"] (ambiguous only), "nodeId"/"fieldName" (when known)}}``.
  Other errors as v1 (802, 801, 380, 421/415, 414).
* ``GET /task/openapi/status?taskId=&apiKey=``: ``{"code": 0, "msg": "success", "data":
  {"taskStatus": "QUEUED" | "RUNNING" | "SUCCESS" | "FAILED" | "CANCEL", "result": null |
  {"outputs": [{"fileUrl", "fileType", "nodeId", "text"?}], "taskCostTime": "<int>",
  "consumeCoins": "<int>", "failedReason": null | {...}}}}``. `result` is null until the task
  ends; `outputs` is empty unless SUCCESS; `text` is present only on ``txt`` outputs (the
  ``fileUrl`` serves the same text); `failedReason` (v1 shape, traceback a string) is set on
  FAILED and CANCEL. Unknown task → ``{"code": 807, ...}``; missing taskId → 301.
"""

from __future__ import annotations

from functools import partial

from aiohttp import web

from bot.sandbox.rh_codes import ApiError
from bot.sandbox.rh_core import Core
from bot.sandbox.rh_http import body_key, envelope, note_task, read_json
from bot.sandbox.rh_overrides import from_params
from bot.sandbox.rh_views import Views


class SeedRoutes:
    """Handlers of the seed dialect."""

    def __init__(self, core: Core, views: Views) -> None:
        self._core = core
        self._views = views

    def routes(self) -> list[web.RouteDef]:
        """The route table."""
        return [
            web.post("/task/openapi/createWithParams", self.create),
            web.get("/task/openapi/status", self.status),
        ]

    async def create(self, request: web.Request) -> web.Response:
        """``POST /task/openapi/createWithParams``."""
        body = await read_json(request)
        account = self._core.authenticate(body_key(request, body))
        workflow = self._core.workflow(body.get("workflowId"))
        webhook = body.get("webhookUrl")
        task = self._core.create_task(
            account,
            workflow,
            partial(from_params, params=body.get("params")),
            origin="seed",
            path=request.path,
            webhook_url=webhook if isinstance(webhook, str) else None,
        )
        note_task(request, task.task_id)
        return envelope(self._views.create_data(task))

    async def status(self, request: web.Request) -> web.Response:
        """``GET /task/openapi/status?taskId&apiKey``."""
        account = self._core.authenticate(body_key(request, {}))
        raw = request.query.get("taskId", "").strip()
        if not raw:
            raise ApiError(301, "taskId must be greater than 0")
        task = self._core.find_task(account, raw)
        if task is None:
            raise ApiError(807)
        note_task(request, task.task_id)
        return envelope(self._views.seed_status(task))
