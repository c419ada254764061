"""Task life on the RunningHub emulator: states from the clock, outputs, cancel, failures, account."""

from __future__ import annotations

from typing import Any

import httpx

from bot.sandbox.runninghub_emulator import ManualClock, RunningHubEmulator, TaskState

SDXL = "1904136902449209346"
FAILING = "1904136902449209351"
MULTI = "1904136902449209352"


async def post(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], bearer: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


async def create(client: httpx.AsyncClient, key: str, workflow: str = SDXL) -> str:
    answer = await post(client, "/task/openapi/create", {"apiKey": key, "workflowId": workflow})
    assert answer["code"] == 0
    task_id: str = answer["data"]["taskId"]
    return task_id


async def test_v1_outputs_and_status_follow_the_clock(
    rh_client: httpx.AsyncClient, rh_key: str, rh_clock: ManualClock
) -> None:
    """outputs reads 813 → 804 → 0 + files and status reads QUEUED → RUNNING → SUCCESS."""
    task_id = await create(rh_client, rh_key)
    body = {"apiKey": rh_key, "taskId": task_id}
    seen = []
    for step in (0.0, 2.0, 5.0):
        rh_clock.advance(step)
        outputs = await post(rh_client, "/task/openapi/outputs", body)
        status = await post(rh_client, "/task/openapi/status", body)
        seen.append((outputs["code"], outputs["msg"], status["data"]))
    assert seen == [
        (813, "APIKEY_TASK_IS_QUEUED", "QUEUED"),
        (804, "APIKEY_TASK_IS_RUNNING", "RUNNING"),
        (0, "success", "SUCCESS"),
    ]
    files = (await post(rh_client, "/task/openapi/outputs", body))["data"]
    assert [(f["fileType"], f["nodeId"], f["taskCostTime"]) for f in files] == [("png", "9", "5")]
    assert files[0]["consumeCoins"] == "5"
    assert files[0]["fileUrl"].startswith("http://127.0.0.1")


async def test_v2_query_reports_results_and_string_usage(
    rh_client: httpx.AsyncClient, rh_key: str, rh_clock: ManualClock
) -> None:
    """v2 query of a finished multi-output task: 3 PNG urls, an inline text, usage as strings."""
    task_id = await create(rh_client, rh_key, MULTI)
    query = await post(rh_client, "/openapi/v2/query", {"taskId": task_id}, bearer=rh_key)
    assert query["status"] == "QUEUED"
    assert query["usage"] is None
    rh_clock.advance(7)
    query = await post(rh_client, "/openapi/v2/query", {"taskId": task_id}, bearer=rh_key)
    assert query["status"] == "SUCCESS"
    assert query["errorCode"] == ""
    kinds = [(r["outputType"], r["nodeId"], r["url"] is None) for r in query["results"]]
    assert kinds == [
        ("png", "9", False),
        ("png", "9", False),
        ("png", "10", False),
        ("txt", "15", True),
    ]
    assert query["results"][3]["text"] == "a glass bottle with a galaxy inside"
    assert query["usage"] == {
        "consumeMoney": None,
        "consumeCoins": "5",
        "taskCostTime": "5",
        "thirdPartyConsumeMoney": None,
    }


async def test_v2_query_rejects_bad_and_unknown_ids(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """A malformed taskId gives errorCode 1007, an unknown or foreign one 1004."""
    bad = await post(rh_client, "/openapi/v2/query", {"taskId": "abc"}, bearer=rh_key)
    assert bad["errorCode"] == "1007"
    assert bad["status"] == ""
    task_id = await create(rh_client, rh_key)
    other = rh_emulator.register_key()
    foreign = await post(rh_client, "/openapi/v2/query", {"taskId": task_id}, bearer=other)
    assert foreign["errorCode"] == "1004"
    denied = await post(rh_client, "/openapi/v2/query", {"taskId": task_id})
    assert denied["errorCode"] == "1002"


async def test_unknown_task_is_807_on_v1_endpoints(
    rh_client: httpx.AsyncClient, rh_key: str
) -> None:
    """outputs, status and cancel answer 807 for an unknown task and 301 without a taskId."""
    for path in ("/task/openapi/outputs", "/task/openapi/status", "/task/openapi/cancel"):
        answer = await post(rh_client, path, {"apiKey": rh_key, "taskId": "1" * 19})
        assert answer == {"code": 807, "msg": "APIKEY_TASK_NOT_FOUND", "data": None}
        assert (await post(rh_client, path, {"apiKey": rh_key}))["code"] == 301


async def test_cancel_frees_the_slot_and_reads_805_and_cancel(
    rh_client: httpx.AsyncClient,
    rh_key: str,
    rh_clock: ManualClock,
    rh_emulator: RunningHubEmulator,
) -> None:
    """A cancelled task reads 805 on outputs, CANCEL on v2, costs nothing and frees its slot."""
    task_id = await create(rh_client, rh_key)
    rh_clock.advance(3)
    body = {"apiKey": rh_key, "taskId": task_id}
    cancel = await post(rh_client, "/task/openapi/cancel", body)
    assert cancel == {"code": 0, "msg": "success", "data": None}
    outputs = await post(rh_client, "/task/openapi/outputs", body)
    assert outputs["code"] == 805
    assert outputs["data"]["failedReason"]["exception_type"] == "InterruptedError"
    query = await post(rh_client, "/openapi/v2/query", {"taskId": task_id}, bearer=rh_key)
    assert query["status"] == "CANCEL"
    assert query["errorCode"] == ""
    assert (await post(rh_client, "/task/openapi/status", body))["data"] == "CANCEL"
    rh_clock.advance(10)
    assert rh_emulator.account(rh_key).coins == 10_000
    assert await create(rh_client, rh_key)


async def test_failing_workflow_reports_failed_reason_in_both_dialects(
    rh_client: httpx.AsyncClient,
    rh_key: str,
    rh_clock: ManualClock,
    rh_emulator: RunningHubEmulator,
) -> None:
    """The OOM workflow ends FAILED: v1 805 (traceback string), v2 errorCode 1000 (list)."""
    task_id = await create(rh_client, rh_key, FAILING)
    rh_clock.advance(7)
    outputs = await post(rh_client, "/task/openapi/outputs", {"apiKey": rh_key, "taskId": task_id})
    reason = outputs["data"]["failedReason"]
    assert outputs["code"] == 805
    assert reason["node_name"] == "KSampler"
    assert reason["exception_type"] == "torch.OutOfMemoryError"
    assert isinstance(reason["traceback"], str)
    assert "CUDA out of memory" in reason["traceback"]
    query = await post(rh_client, "/openapi/v2/query", {"taskId": task_id}, bearer=rh_key)
    assert query["status"] == "FAILED"
    assert query["errorCode"] == "1000"
    assert query["errorMessage"] == "CUDA out of memory. Tried to allocate 2.00 GiB"
    assert isinstance(query["failedReason"]["traceback"], list)
    assert query["results"] is None
    assert rh_emulator.account(rh_key).coins == 10_000


async def test_account_and_queue_status_reflect_slots_and_coins(
    rh_client: httpx.AsyncClient, rh_clock: ManualClock, rh_emulator: RunningHubEmulator
) -> None:
    """accountStatus and queue/status count queued/running tasks; coins drop on success."""
    key = rh_emulator.register_key(api_type="SHARED", coins=100)
    await create(rh_client, key)
    rh_clock.advance(2)
    await create(rh_client, key)
    account = await post(rh_client, "/uc/openapi/accountStatus", {"apikey": key})
    assert account["data"]["currentTaskCounts"] == "2"
    assert account["data"]["apiType"] == "SHARED"
    headers = {"Authorization": f"Bearer {key}"}
    queue = (await rh_client.get("/openapi/v2/queue/status", headers=headers)).json()
    assert queue["data"] == {
        "apiKeyType": "SHARED",
        "concurrentLimit": 50,
        "runningCount": "1",
        "queuedCount": "1",
        "totalCurrentTasks": "2",
    }
    rh_clock.advance(10)
    account = await post(rh_client, "/uc/openapi/accountStatus", {"apikey": key})
    assert account["data"]["remainCoins"] == "90"
    assert account["data"]["currentTaskCounts"] == "0"
    wrong = (await rh_client.post("/openapi/v2/queue/status", headers=headers)).json()
    assert wrong["code"] == 1009


async def test_duration_fn_and_set_task_outcome(rh_emulator: RunningHubEmulator) -> None:
    """duration_fn sets per-workflow run time; set_task_outcome can fail a task at once."""
    rh_emulator.config.duration_fn = lambda workflow_id: 1.5 if workflow_id == SDXL else 9.0
    key = rh_emulator.register_key()
    async with httpx.AsyncClient(base_url=rh_emulator.base_url) as client:
        task_id = await create(client, key)
        task = rh_emulator.task(task_id)
        assert task is not None
        assert task.ends_at - task.running_at == 1.5
        rh_emulator.set_task_outcome(task_id, failure={"node_name": "X"}, finish_now=True)
        assert task.state is TaskState.FAILED
        assert not rh_emulator.account(key).active
        answer = await post(client, "/task/openapi/outputs", {"apiKey": key, "taskId": task_id})
    assert answer["code"] == 805
    assert answer["data"]["failedReason"] == {"node_name": "X"}


async def test_seed_status_get_returns_task_status_and_result(
    rh_client: httpx.AsyncClient, rh_key: str, rh_clock: ManualClock
) -> None:
    """GET /task/openapi/status gives {taskStatus, result}; result holds outputs once done."""
    body = {"apiKey": rh_key, "workflowId": MULTI, "params": {"6.text": "hello"}}
    created = await post(rh_client, "/task/openapi/createWithParams", body)
    params = {"apiKey": rh_key, "taskId": created["data"]["taskId"]}
    early = (await rh_client.get("/task/openapi/status", params=params)).json()
    assert early == {"code": 0, "msg": "success", "data": {"taskStatus": "QUEUED", "result": None}}
    rh_clock.advance(7)
    done = (await rh_client.get("/task/openapi/status", params=params)).json()["data"]
    assert done["taskStatus"] == "SUCCESS"
    result = done["result"]
    assert result["taskCostTime"] == "5"
    assert result["consumeCoins"] == "5"
    assert result["failedReason"] is None
    assert len(result["outputs"]) == 4
    assert result["outputs"][3]["text"] == "hello"
    assert result["outputs"][3]["fileType"] == "txt"
    text = await rh_client.get(result["outputs"][3]["fileUrl"])
    assert text.text == "hello"
    assert text.headers["content-type"].startswith("text/plain")
    missing = (await rh_client.get("/task/openapi/status", params={"apiKey": rh_key})).json()
    assert missing["code"] == 301
