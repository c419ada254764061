"""Fault injection on the RunningHub emulator: each kind, counts, paths, probability, CLI grammar."""

from __future__ import annotations

import time

import httpx
import pytest

from bot.sandbox.runninghub_emulator import (
    EmulatorConfig,
    Fault,
    FaultKind,
    ManualClock,
    RunningHubEmulator,
    faults_from_cli,
)

SDXL = "1904136902449209346"
CREATE = "/task/openapi/create"
OUTPUTS = "/task/openapi/outputs"


async def create(client: httpx.AsyncClient, key: str) -> httpx.Response:
    return await client.post(CREATE, json={"apiKey": key, "workflowId": SDXL})


async def test_http_502_hits_only_the_matching_path_count_times(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """A 502 fault on outputs with count 2 answers 502 twice there and never elsewhere."""
    task_id = (await create(rh_client, rh_key)).json()["data"]["taskId"]
    body = {"apiKey": rh_key, "taskId": task_id}
    rh_emulator.inject(Fault("http_502", path=OUTPUTS, count=2))
    assert (await rh_client.post("/task/openapi/status", json=body)).status_code == 200
    codes = [(await rh_client.post(OUTPUTS, json=body)).status_code for _ in range(3)]
    assert codes == [502, 502, 200]
    assert rh_emulator.request_count(OUTPUTS) == 3
    assert [r.task_id for r in rh_emulator.requests if r.path == OUTPUTS] == [None, None, task_id]


async def test_non_json_answers_html_with_status_200(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """A non_json fault answers HTTP 200 with an HTML body instead of the envelope."""
    rh_emulator.inject(Fault(FaultKind.NON_JSON))
    response = await rh_client.post("/uc/openapi/accountStatus", json={"apikey": rh_key})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    with pytest.raises(ValueError, match="Expecting value"):
        response.json()


async def test_slow_delays_the_answer(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """A slow fault sleeps `delay` seconds, then answers normally."""
    rh_emulator.inject(Fault("slow", delay=0.2))
    started = time.monotonic()
    response = await rh_client.post("/uc/openapi/accountStatus", json={"apikey": rh_key})
    assert time.monotonic() - started >= 0.2
    assert response.json()["code"] == 0


async def test_code_fault_on_create_does_not_create_a_task(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """A code fault answers the endpoint's envelope (v1 and v2 spellings) and creates nothing."""
    rh_emulator.inject(Fault("code", path=CREATE, code=421))
    assert (await create(rh_client, rh_key)).json() == {
        "code": 421,
        "msg": "TASK_QUEUE_MAXED",
        "data": None,
    }
    assert not rh_emulator.account(rh_key).active
    rh_emulator.inject(Fault("code", path="/openapi/v2/run", code=415))
    headers = {"Authorization": f"Bearer {rh_key}"}
    v2 = await rh_client.post(f"/openapi/v2/run/workflow/{SDXL}", json={}, headers=headers)
    assert v2.json()["errorCode"] == "415"
    assert v2.json()["taskId"] == ""
    assert (await create(rh_client, rh_key)).json()["code"] == 0


async def test_fail_805_fails_the_next_created_task(
    rh_client: httpx.AsyncClient,
    rh_key: str,
    rh_clock: ManualClock,
    rh_emulator: RunningHubEmulator,
) -> None:
    """fail_805 makes the next created task end with 805 and a failedReason carrying the message."""
    rh_emulator.inject(Fault("fail_805", message="boom"))
    task_id = (await create(rh_client, rh_key)).json()["data"]["taskId"]
    rh_clock.advance(7)
    answer = (await rh_client.post(OUTPUTS, json={"apiKey": rh_key, "taskId": task_id})).json()
    assert answer["code"] == 805
    assert answer["data"]["failedReason"]["exception_message"] == "boom"
    second = (await create(rh_client, rh_key)).json()["data"]["taskId"]
    task = rh_emulator.task(second)
    assert task is not None
    assert task.failure is None


async def test_drop_closes_the_connection_before_or_after_creating(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """drop answers nothing; with after_create the task exists although the client saw no reply."""
    rh_emulator.inject(Fault("drop", path=CREATE))
    with pytest.raises(httpx.RemoteProtocolError):
        await create(rh_client, rh_key)
    assert not rh_emulator.account(rh_key).active
    rh_emulator.inject(Fault("drop", path=CREATE, after_create=True))
    with pytest.raises(httpx.RemoteProtocolError):
        await create(rh_client, rh_key)
    assert len(rh_emulator.account(rh_key).active) == 1
    assert rh_emulator.requests[-1].task_id in rh_emulator.account(rh_key).active


async def test_probability_faults_are_seeded_and_unlimited(rh_clock: ManualClock) -> None:
    """A probability fault hits a reproducible share of calls for a given fault_seed."""

    async def statuses(seed: int) -> list[int]:
        config = EmulatorConfig(clock=rh_clock, fault_seed=seed)
        async with RunningHubEmulator(config) as emulator:
            key = emulator.register_key()
            emulator.inject(Fault("http_502", count=None, probability=0.3))
            async with httpx.AsyncClient(base_url=emulator.base_url) as client:
                body = {"apikey": key}
                return [
                    (await client.post("/uc/openapi/accountStatus", json=body)).status_code
                    for _ in range(40)
                ]

    first, again = await statuses(7), await statuses(7)
    assert first == again
    assert 4 <= first.count(502) <= 20


async def test_clear_faults_removes_everything(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """clear_faults drops active faults so requests succeed again."""
    rh_emulator.inject(Fault("http_502", count=None))
    assert (await create(rh_client, rh_key)).status_code == 502
    rh_emulator.clear_faults()
    assert (await create(rh_client, rh_key)).status_code == 200


def test_faults_from_cli_parses_the_documented_grammar() -> None:
    """The CLI grammar covers 502/slow/code/nonjson/drop/dropafter/fail805/prob specs."""
    faults = faults_from_cli(
        [
            "502:/task/openapi/outputs:3",
            "slow:*:2:1.5",
            "code:/task/openapi/create:421:1",
            "nonjson:*:1",
            "prob:502:*:0.2",
            "dropafter:/task/openapi/create",
            "fail805:*:*",
            "prob:code:/openapi/v2/run:0.5:1011",
        ]
    )
    shapes = [(f.kind, f.path, f.count, f.delay, f.code, f.probability) for f in faults]
    assert shapes == [
        (FaultKind.HTTP_502, "/task/openapi/outputs", 3, 0.0, None, 1.0),
        (FaultKind.SLOW, "*", 2, 1.5, None, 1.0),
        (FaultKind.CODE, "/task/openapi/create", 1, 0.0, 421, 1.0),
        (FaultKind.NON_JSON, "*", 1, 0.0, None, 1.0),
        (FaultKind.HTTP_502, "*", None, 0.0, None, 0.2),
        (FaultKind.DROP, "/task/openapi/create", 1, 0.0, None, 1.0),
        (FaultKind.FAIL_805, "*", None, 0.0, None, 1.0),
        (FaultKind.CODE, "/openapi/v2/run", None, 0.0, 1011, 0.5),
    ]
    assert faults[5].after_create
    assert not faults[0].after_create


@pytest.mark.parametrize(
    "spec",
    ["teapot:*", "slow:*:1", "code:*", "502", "prob:502:*", "502:*:x", "prob:502:*:2", "502:*:0"],
)
def test_faults_from_cli_rejects_malformed_specs(spec: str) -> None:
    """Malformed specs raise ValueError naming the spec."""
    with pytest.raises(ValueError, match="bad fault spec"):
        faults_from_cli([spec])
