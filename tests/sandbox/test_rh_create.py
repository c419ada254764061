"""Task creation on the RunningHub emulator: v1, v2 and seed dialects, validation, capacity."""

from __future__ import annotations

import json
from typing import Any

import httpx

from bot.sandbox.runninghub_emulator import EmulatorConfig, ManualClock, RunningHubEmulator

SDXL = "1904136902449209346"
CREATE = "/task/openapi/create"


async def post(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], bearer: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def node(node_id: str, field: str, value: Any) -> dict[str, Any]:
    return {"nodeId": node_id, "fieldName": field, "fieldValue": value}


async def test_v1_create_returns_the_documented_envelope(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """A v1 create answers code 0 with a 19-digit string taskId, QUEUED, no wss URL, tips."""
    body = {"apiKey": rh_key, "workflowId": SDXL, "nodeInfoList": [node("6", "text", "a fox")]}
    answer = await post(rh_client, CREATE, body)
    assert answer["code"] == 0
    assert answer["msg"] == "success"
    data = answer["data"]
    assert isinstance(data["taskId"], str)
    assert len(data["taskId"]) == 19
    assert data["taskStatus"] == "QUEUED"
    assert data["netWssUrl"] is None
    assert len(data["clientId"]) == 32
    assert json.loads(data["promptTips"])["outputs_to_execute"] == ["9"]
    task = rh_emulator.task(data["taskId"])
    assert task is not None
    assert task.overrides == {"6": {"text": "a fox"}}
    assert task.workflow_id == SDXL
    assert task.key == rh_key


async def test_create_is_running_at_once_without_queue_time(rh_clock: ManualClock) -> None:
    """With queue_seconds=0 a created task is RUNNING and carries a netWssUrl."""
    async with RunningHubEmulator(EmulatorConfig(queue_seconds=0, clock=rh_clock)) as emulator:
        key = emulator.register_key()
        async with httpx.AsyncClient(base_url=emulator.base_url) as client:
            data = (await post(client, CREATE, {"apiKey": key, "workflowId": SDXL}))["data"]
    assert data["taskStatus"] == "RUNNING"
    assert data["netWssUrl"].startswith("ws://127.0.0.1:")


async def test_create_accepts_bearer_and_string_numbers(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """The key may come as Bearer only, and "1231231" is accepted (and kept) for an int seed."""
    body = {"workflowId": SDXL, "nodeInfoList": [node("3", "seed", "1231231")]}
    answer = await post(rh_client, CREATE, body, bearer=rh_key)
    task = rh_emulator.task(answer["data"]["taskId"])
    assert task is not None
    assert task.overrides == {"3": {"seed": 1231231}}


async def test_create_rejects_bad_node_info_with_803(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """Unknown node, unknown field, a linked input or a non-integer int all answer 803."""
    bad = [
        node("99", "text", "x"),
        node("6", "prompt", "x"),
        node("3", "model", "x"),
        node("3", "steps", "many"),
    ]
    for item in bad:
        body = {"apiKey": rh_key, "workflowId": SDXL, "nodeInfoList": [item]}
        answer = await post(rh_client, CREATE, body)
        assert answer == {"code": 803, "msg": "APIKEY_INVALID_NODE_INFO", "data": None}
    assert rh_emulator.request_count(CREATE) == 4
    assert not rh_emulator.account(rh_key).active


async def test_create_errors_for_workflow_and_key(
    rh_client: httpx.AsyncClient, rh_emulator: RunningHubEmulator
) -> None:
    """Unknown workflow → 380, missing → 301, unknown key → 802, FREE key → 801."""
    key = rh_emulator.register_key()
    free = rh_emulator.register_key(api_type="FREE")
    assert (await post(rh_client, CREATE, {"apiKey": key, "workflowId": "1"}))["code"] == 380
    assert (await post(rh_client, CREATE, {"apiKey": key}))["code"] == 301
    unknown = await post(rh_client, CREATE, {"apiKey": "0" * 32, "workflowId": SDXL})
    assert unknown == {"code": 802, "msg": "APIKEY_UNAUTHORIZED", "data": None}
    answer = await post(rh_client, CREATE, {"apiKey": free, "workflowId": SDXL})
    assert answer == {"code": 801, "msg": "APIKEY_UNSUPPORTED_FREE_USER", "data": None}


async def test_concurrency_limit_answers_421_until_the_slot_frees(
    rh_client: httpx.AsyncClient,
    rh_key: str,
    rh_clock: ManualClock,
    rh_emulator: RunningHubEmulator,
) -> None:
    """A NORMAL key runs one task: the second create gets 421 (no task) until the first ends."""
    body = {"apiKey": rh_key, "workflowId": SDXL}
    assert (await post(rh_client, CREATE, body))["code"] == 0
    rh_clock.advance(6.9)
    assert await post(rh_client, CREATE, body) == {
        "code": 421,
        "msg": "TASK_QUEUE_MAXED",
        "data": None,
    }
    assert len(rh_emulator.account(rh_key).active) == 1
    rh_clock.advance(0.1)
    assert (await post(rh_client, CREATE, body))["code"] == 0


async def test_exclusive_keys_get_415_and_shared_keys_run_fifty(
    rh_client: httpx.AsyncClient, rh_emulator: RunningHubEmulator
) -> None:
    """EXCLUSIVE keys (limit 2) are refused with 415; SHARED keys default to 50 slots."""
    exclusive = rh_emulator.register_key(api_type="EXCLUSIVE")
    codes = [
        (await post(rh_client, CREATE, {"apiKey": exclusive, "workflowId": SDXL}))["code"]
        for _ in range(3)
    ]
    assert codes == [0, 0, 415]
    shared = rh_emulator.register_key(api_type="SHARED")
    assert rh_emulator.account(shared).concurrent_limit == 50


async def test_no_coins_left_answers_414(
    rh_client: httpx.AsyncClient, rh_emulator: RunningHubEmulator
) -> None:
    """A key without coins cannot create (414), a SHARED one gets 416."""
    broke = rh_emulator.register_key(coins=0)
    shared = rh_emulator.register_key(api_type="SHARED", coins=0)
    assert (await post(rh_client, CREATE, {"apiKey": broke, "workflowId": SDXL}))["code"] == 414
    assert (await post(rh_client, CREATE, {"apiKey": shared, "workflowId": SDXL}))["code"] == 416


async def test_numeric_task_ids_mode_emits_json_numbers(rh_clock: ManualClock) -> None:
    """With numeric_task_ids the taskId is a JSON number, and queries accept it back."""
    async with RunningHubEmulator(EmulatorConfig(numeric_task_ids=True, clock=rh_clock)) as emu:
        key = emu.register_key()
        async with httpx.AsyncClient(base_url=emu.base_url) as client:
            data = (await post(client, CREATE, {"apiKey": key, "workflowId": SDXL}))["data"]
            assert isinstance(data["taskId"], int)
            assert len(str(data["taskId"])) == 19
            query = {"taskId": data["taskId"]}
            answer = await post(client, "/openapi/v2/query", query, bearer=key)
    assert answer["taskId"] == data["taskId"]
    assert answer["status"] == "QUEUED"


async def test_v2_run_returns_a_flat_task_object(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """v2 run (Bearer) returns {taskId, status, errorCode "", results null, ...}."""
    body = {"nodeInfoList": [node("6", "text", "a red fox")], "usePersonalQueue": "false"}
    answer = await post(rh_client, f"/openapi/v2/run/workflow/{SDXL}", body, bearer=rh_key)
    assert answer["status"] == "QUEUED"
    assert answer["errorCode"] == ""
    assert answer["results"] is None
    assert answer["failedReason"] == {}
    task = rh_emulator.task(answer["taskId"])
    assert task is not None
    assert task.origin == "v2"


async def test_v2_run_errors_use_string_error_codes(
    rh_client: httpx.AsyncClient, rh_key: str
) -> None:
    """v2 run: unknown key → "1002", capacity → "421", bad node → "803", unknown workflow "380"."""
    path = f"/openapi/v2/run/workflow/{SDXL}"
    denied = await post(rh_client, path, {"apiKey": rh_key}, bearer="f" * 32)
    assert denied["errorCode"] == "1002"
    assert denied["taskId"] == ""
    bad = await post(rh_client, path, {"nodeInfoList": [node("1", "x", 1)]}, bearer=rh_key)
    assert bad["errorCode"] == "803"
    missing = await post(rh_client, "/openapi/v2/run/workflow/123", {}, bearer=rh_key)
    assert missing["errorCode"] == "380"
    assert (await post(rh_client, path, {}, bearer=rh_key))["errorCode"] == ""
    full = await post(rh_client, path, {}, bearer=rh_key)
    assert full["errorCode"] == "421"
    assert full["errorMessage"] == "TASK_QUEUE_MAXED"


async def test_seed_create_with_params_resolves_bare_names(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """createWithParams maps "seed" to 3.seed and "6.text" directly."""
    body = {"apiKey": rh_key, "workflowId": SDXL, "params": {"seed": 7, "6.text": "a cat"}}
    answer = await post(rh_client, "/task/openapi/createWithParams", body)
    assert answer["code"] == 0
    assert answer["data"]["taskStatus"] == "QUEUED"
    task = rh_emulator.task(answer["data"]["taskId"])
    assert task is not None
    assert task.overrides == {"3": {"seed": 7}, "6": {"text": "a cat"}}
    assert task.origin == "seed"


async def test_seed_create_reports_ambiguous_and_unknown_params(
    rh_client: httpx.AsyncClient, rh_key: str
) -> None:
    """A bare "text" is ambiguous (6 and 7), "colour" unknown: 803 with a detail object."""
    path = "/task/openapi/createWithParams"
    body = {"apiKey": rh_key, "workflowId": SDXL, "params": {"text": "x"}}
    answer = await post(rh_client, path, body)
    assert answer["code"] == 803
    assert answer["data"] == {
        "error": "ambiguous_param",
        "param": "text",
        "candidates": ["6.text", "7.text"],
    }
    body["params"] = {"colour": "red"}
    assert (await post(rh_client, path, body))["data"]["error"] == "unknown_param"
