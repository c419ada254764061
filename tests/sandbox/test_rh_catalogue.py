"""Catalogue behaviour of the RunningHub emulator: custom workflows and override conversion."""

from __future__ import annotations

from typing import Any

import httpx

from bot.sandbox.runninghub_emulator import OutputSpec, RunningHubEmulator, Workflow

CUSTOM = "1234567890123456789"


async def post(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/task/openapi/create", json=body)
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def node(node_id: str, field: str, value: Any) -> dict[str, Any]:
    return {"nodeId": node_id, "fieldName": field, "fieldValue": value}


async def test_custom_workflow_converts_bool_float_and_rejects_non_lists(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """add_workflow graphs validate too: "true" → True, "7.5" → 7.5, nodeInfoList must be a list."""
    graph = {
        "1": {
            "class_type": "Custom",
            "inputs": {"flag": False, "scale": 1.0, "name": "x"},
            "_meta": {"title": "Custom"},
        }
    }
    rh_emulator.add_workflow(Workflow(CUSTOM, "Custom", graph, (OutputSpec("1", "png"),)))
    items = [node("1", "flag", "true"), node("1", "scale", "7.5"), node("1", "name", 42)]
    body: dict[str, Any] = {"apiKey": rh_key, "workflowId": CUSTOM, "nodeInfoList": items}
    answer = await post(rh_client, body)
    task = rh_emulator.task(answer["data"]["taskId"])
    assert task is not None
    assert task.overrides == {"1": {"flag": True, "scale": 7.5, "name": "42"}}
    body["nodeInfoList"] = {"nodeId": "1"}
    assert (await post(rh_client, body))["code"] == 803
    body["nodeInfoList"] = [node("1", "flag", "maybe")]
    assert (await post(rh_client, body))["code"] == 803
