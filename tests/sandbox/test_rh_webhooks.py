"""TASK_END webhooks from the RunningHub emulator, delivered to a tiny aiohttp receiver."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from bot.sandbox.runninghub_emulator import ManualClock, RunningHubEmulator

SDXL = "1904136902449209346"


class Receiver:
    """Collects callbacks; answers with the next status from `statuses` (then 200)."""

    def __init__(self) -> None:
        self.bodies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.statuses: list[int] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        await self.bodies.put(await request.json())
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200, text="ok")

    async def next(self) -> dict[str, Any]:
        return await asyncio.wait_for(self.bodies.get(), 3.0)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A webhook receiver on a free loopback port."""
    found = Receiver()
    app = web.Application()
    app.router.add_post("/hook", found.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    found.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield found
    await runner.cleanup()


async def wait_for_status(emulator: RunningHubEmulator, task_id: str, status: str) -> None:
    for _ in range(300):
        record = emulator.webhook(task_id)
        if record is not None and record.status == status:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"webhook never reached {status}")


async def test_v1_task_webhook_carries_the_outputs_envelope(
    rh_client: httpx.AsyncClient, rh_key: str, rh_clock: ManualClock, receiver: Receiver
) -> None:
    """A v1 task's callback is TASK_END with eventData = JSON string of the outputs envelope."""
    body = {"apiKey": rh_key, "workflowId": SDXL, "webhookUrl": receiver.url}
    task_id = (await rh_client.post("/task/openapi/create", json=body)).json()["data"]["taskId"]
    await asyncio.sleep(0.05)
    assert receiver.bodies.empty()
    rh_clock.advance(7)
    callback = await receiver.next()
    assert callback["event"] == "TASK_END"
    assert callback["taskId"] == task_id
    event = json.loads(callback["eventData"])
    assert event["code"] == 0
    assert event["data"][0]["fileType"] == "png"


async def test_v2_task_webhook_carries_the_query_object_after_retries(
    rh_client: httpx.AsyncClient,
    rh_key: str,
    rh_clock: ManualClock,
    rh_emulator: RunningHubEmulator,
    receiver: Receiver,
) -> None:
    """A v2 task's callback is retried after two HTTP 500s and carries the v2 query object."""
    receiver.statuses = [500, 500]
    headers = {"Authorization": f"Bearer {rh_key}"}
    path = f"/openapi/v2/run/workflow/{SDXL}"
    answer = await rh_client.post(path, json={"webhookUrl": receiver.url}, headers=headers)
    task_id = answer.json()["taskId"]
    rh_clock.advance(7)
    bodies = [await receiver.next() for _ in range(3)]
    assert [b["taskId"] for b in bodies] == [task_id] * 3
    event = json.loads(bodies[2]["eventData"])
    assert event["status"] == "SUCCESS"
    assert event["results"][0]["outputType"] == "png"
    await wait_for_status(rh_emulator, task_id, "SUCCESS")
    record = rh_emulator.webhook(task_id)
    assert record is not None
    assert record.retry_count == 2


async def test_webhook_detail_and_retry_after_exhausted_delivery(
    rh_client: httpx.AsyncClient,
    rh_key: str,
    rh_clock: ManualClock,
    rh_emulator: RunningHubEmulator,
    receiver: Receiver,
) -> None:
    """After 1 + 3 failed tries the detail reads FAILED; retryWebhook re-sends to a new URL."""
    receiver.statuses = [503] * 4
    body = {"apiKey": rh_key, "workflowId": SDXL, "webhookUrl": receiver.url + "?first"}
    task_id = (await rh_client.post("/task/openapi/create", json=body)).json()["data"]["taskId"]
    rh_clock.advance(7)
    await wait_for_status(rh_emulator, task_id, "FAILED")
    assert receiver.bodies.qsize() == 4
    query = {"apiKey": rh_key, "taskId": task_id}
    detail = (await rh_client.post("/task/openapi/getWebhookDetail", json=query)).json()["data"]
    assert detail["callbackStatus"] == "FAILED"
    assert detail["retryCount"] == 3
    assert detail["callbackResponse"].startswith("HTTP 503")
    assert rh_key not in str(detail)
    assert json.loads(detail["eventData"])["code"] == 0
    retry = {"apiKey": rh_key, "webhookId": detail["id"], "webhookUrl": receiver.url}
    answer = await rh_client.post("/task/openapi/retryWebhook", json=retry)
    assert answer.json() == {"code": 0, "msg": "success", "data": None}
    await wait_for_status(rh_emulator, task_id, "SUCCESS")
    assert receiver.bodies.qsize() == 5


async def test_webhook_detail_without_webhook_and_cancelled_task_callback(
    rh_client: httpx.AsyncClient,
    rh_emulator: RunningHubEmulator,
    receiver: Receiver,
) -> None:
    """No webhook → code 1 "webhook event not exists"; a cancelled task still calls back (805)."""
    key = rh_emulator.register_key(api_type="SHARED")
    plain = {"apiKey": key, "workflowId": SDXL}
    plain_id = (await rh_client.post("/task/openapi/create", json=plain)).json()["data"]["taskId"]
    query = {"apiKey": key, "taskId": plain_id}
    detail = (await rh_client.post("/task/openapi/getWebhookDetail", json=query)).json()
    assert detail == {"code": 1, "msg": "webhook event not exists", "data": None}
    hooked = {**plain, "webhookUrl": receiver.url}
    task_id = (await rh_client.post("/task/openapi/create", json=hooked)).json()["data"]["taskId"]
    await rh_client.post("/task/openapi/cancel", json={"apiKey": key, "taskId": task_id})
    callback = await receiver.next()
    assert callback["taskId"] == task_id
    assert json.loads(callback["eventData"])["code"] == 805
