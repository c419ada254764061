"""The legacy ("v1") endpoints: create, outputs, status, cancel, account, API JSON, webhooks."""

from __future__ import annotations

from functools import partial

from aiohttp import web

from bot.sandbox.rh_codes import ApiError
from bot.sandbox.rh_core import Core
from bot.sandbox.rh_http import body_key, envelope, note_task, read_json
from bot.sandbox.rh_overrides import from_node_info_list
from bot.sandbox.rh_state import EmulatedTask, KeyAccount
from bot.sandbox.rh_views import Views
from bot.sandbox.rh_webhooks import Webhooks


class V1Routes:
    """Handlers of ``/task/openapi/*``, ``/uc/openapi/accountStatus``, ``/api/openapi/*``."""

    def __init__(self, core: Core, views: Views, webhooks: Webhooks) -> None:
        self._core = core
        self._views = views
        self._webhooks = webhooks

    def routes(self) -> list[web.RouteDef]:
        """The route table."""
        return [
            web.post("/task/openapi/create", self.create),
            web.post("/task/openapi/outputs", self.outputs),
            web.post("/task/openapi/status", self.status),
            web.post("/task/openapi/cancel", self.cancel),
            web.post("/uc/openapi/accountStatus", self.account_status),
            web.post("/api/openapi/getJsonApiFormat", self.api_format),
            web.post("/task/openapi/getWebhookDetail", self.webhook_detail),
            web.post("/task/openapi/retryWebhook", self.retry_webhook),
        ]

    async def _account(self, request: web.Request) -> tuple[KeyAccount, dict[str, object]]:
        body = await read_json(request)
        return self._core.authenticate(body_key(request, body)), body

    async def _task(self, request: web.Request) -> EmulatedTask:
        account, body = await self._account(request)
        if body.get("taskId") in (None, ""):
            raise ApiError(301, "taskId must be greater than 0")
        task = self._core.find_task(account, body["taskId"])
        if task is None:
            raise ApiError(807)
        note_task(request, task.task_id)
        return task

    async def create(self, request: web.Request) -> web.Response:
        """``POST /task/openapi/create``."""
        account, body = await self._account(request)
        workflow = self._core.workflow(body.get("workflowId"))
        task = self._core.create_task(
            account,
            workflow,
            partial(from_node_info_list, items=body.get("nodeInfoList")),
            origin="v1",
            path=request.path,
            webhook_url=_text(body.get("webhookUrl")),
            instance_type=_text(body.get("instanceType")),
        )
        note_task(request, task.task_id)
        return envelope(self._views.create_data(task))

    async def outputs(self, request: web.Request) -> web.Response:
        """``POST /task/openapi/outputs``: 813 / 804 / 0 + files / 805 + failedReason."""
        code, data = self._views.v1_outputs(await self._task(request))
        return envelope(data, code)

    async def status(self, request: web.Request) -> web.Response:
        """``POST /task/openapi/status``: a bare state string."""
        return envelope((await self._task(request)).state.value)

    async def cancel(self, request: web.Request) -> web.Response:
        """``POST /task/openapi/cancel``."""
        self._core.cancel(await self._task(request))
        return envelope(None)

    async def account_status(self, request: web.Request) -> web.Response:
        """``POST /uc/openapi/accountStatus`` (numbers as strings)."""
        account, _ = await self._account(request)
        running, queued = account.counts(self._core.now())
        money = "0.00" if account.api_type == "NORMAL" else f"{max(account.coins, 0) / 100:.2f}"
        return envelope(
            {
                "remainCoins": str(account.coins),
                "currentTaskCounts": str(running + queued),
                "remainMoney": money,
                "currency": "CNY",
                "apiType": account.api_type,
            }
        )

    async def api_format(self, request: web.Request) -> web.Response:
        """``POST /api/openapi/getJsonApiFormat``: the graph as a JSON string."""
        _, body = await self._account(request)
        workflow = self._core.workflow(body.get("workflowId"))
        return envelope({"prompt": workflow.api_json()}, msg="SUCCESS")

    async def webhook_detail(self, request: web.Request) -> web.Response:
        """``POST /task/openapi/getWebhookDetail``."""
        task = await self._task(request)
        record = self._webhooks.records.get(task.task_id)
        if record is None:
            raise ApiError(1, "webhook event not exists")
        return envelope(
            {
                "id": record.webhook_id,
                "userApiKey": "*" * 18,
                "taskId": self._core.task_id_json(task),
                "webhookUrl": record.url,
                "eventData": record.event_data,
                "callbackStatus": record.status,
                "callbackResponse": record.response,
                "retryCount": record.retry_count,
                "createTime": record.create_time,
                "updateTime": record.update_time,
            }
        )

    async def retry_webhook(self, request: web.Request) -> web.Response:
        """``POST /task/openapi/retryWebhook`` ``{apiKey, webhookId, webhookUrl?}``."""
        account, body = await self._account(request)
        record = self._webhooks.by_webhook_id(str(body.get("webhookId", "")))
        if record is None or record.task.key != account.key or record.event_data == "":
            raise ApiError(1, "webhook event not exists")
        record.url = _text(body.get("webhookUrl")) or record.url
        self._webhooks.send(record)
        return envelope(None)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
