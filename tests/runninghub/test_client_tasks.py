"""The client's task lifecycle against the emulator: create, poll, outputs, failure, cancel."""

from __future__ import annotations

import pytest

from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import CapacityError, InvalidRequestError, NotFoundError
from bot.runninghub.models import NodeOverride, RemoteState
from bot.sandbox.runninghub_emulator import ManualClock, RunningHubEmulator

SDXL = "1904136902449209346"
FAILING = "1904136902449209351"
MULTI = "1904136902449209352"


async def test_create_then_poll_to_success(
    client: RunningHubClient, key: str, clock: ManualClock
) -> None:
    """A created task reads QUEUED, RUNNING, then SUCCESS with an image output and its cost."""
    created = await client.create_task(key, SDXL, [NodeOverride("6", "text", "a red fox")])
    assert len(created.task_id) == 19
    assert (await client.get_task(key, created.task_id)).state is RemoteState.QUEUED
    clock.advance(3)
    assert (await client.get_task(key, created.task_id)).state is RemoteState.RUNNING
    clock.advance(6)
    done = await client.get_task(key, created.task_id)
    assert done.state is RemoteState.SUCCESS
    assert [o.file_type for o in done.outputs] == ["png"]
    assert done.outputs[0].url is not None
    assert done.outputs[0].node_id == "9"
    assert done.cost_coins is not None
    assert done.cost_coins > 0


async def test_overrides_reach_the_emulator(
    client: RunningHubClient, key: str, emu: RunningHubEmulator
) -> None:
    """nodeInfoList entries arrive with their node, field and typed value."""
    created = await client.create_task(key, SDXL, [NodeOverride("3", "steps", 30)])
    task = emu.task(created.task_id)
    assert task is not None
    assert task.overrides["3"]["steps"] == 30


async def test_multi_output_workflow_yields_images_and_text(
    client: RunningHubClient, key: str, clock: ManualClock
) -> None:
    """Several image outputs and an inline text output come back in one poll."""
    created = await client.create_task(key, MULTI)
    clock.advance(10)
    done = await client.get_task(key, created.task_id)
    types = sorted(o.file_type for o in done.outputs)
    assert types.count("png") >= 2
    texts = [o.text for o in done.outputs if o.file_type == "txt"]
    assert texts
    assert texts[0]


async def test_failed_task_reports_node_and_exception(
    client: RunningHubClient, key: str, clock: ManualClock
) -> None:
    """A task failing in ComfyUI reads FAILED with the node name and the exception message."""
    created = await client.create_task(key, FAILING)
    clock.advance(10)
    failed = await client.get_task(key, created.task_id)
    assert failed.state is RemoteState.FAILED
    assert failed.failure is not None
    assert "out of memory" in failed.failure.message.lower()
    assert failed.failure.node_name == "KSampler"


async def test_second_task_on_a_normal_key_is_a_capacity_error(
    client: RunningHubClient, key: str, clock: ManualClock
) -> None:
    """Beyond the key's concurrency the create is refused (421) and may be resubmitted later."""
    await client.create_task(key, SDXL)
    with pytest.raises(CapacityError) as caught:
        await client.create_task(key, SDXL)
    assert caught.value.code == "421"
    clock.advance(10)
    await client.get_task(key, (await client.create_task(key, SDXL)).task_id)


async def test_unknown_node_is_an_invalid_request(client: RunningHubClient, key: str) -> None:
    """A nodeInfoList entry for a node the workflow lacks is refused with 803."""
    with pytest.raises(InvalidRequestError) as caught:
        await client.create_task(key, SDXL, [NodeOverride("99", "text", "x")])
    assert caught.value.code == "803"


async def test_unknown_workflow_is_not_found(client: RunningHubClient, key: str) -> None:
    """An unknown workflow id is NotFound (380) for both create and the API JSON."""
    with pytest.raises(NotFoundError):
        await client.create_task(key, "1111111111111111111")
    with pytest.raises(NotFoundError):
        await client.workflow_graph(key, "1111111111111111111")


async def test_cancel_makes_the_task_cancelled(client: RunningHubClient, key: str) -> None:
    """A cancelled task reads CANCELLED."""
    created = await client.create_task(key, SDXL)
    await client.cancel_task(key, created.task_id)
    assert (await client.get_task(key, created.task_id)).state is RemoteState.CANCELLED


async def test_unknown_task_is_not_found(client: RunningHubClient, key: str) -> None:
    """Polling a task id RunningHub never issued is NotFound."""
    with pytest.raises(NotFoundError):
        await client.get_task(key, "1900000000000000001")


async def test_download_streams_and_caps(
    client: RunningHubClient, key: str, clock: ManualClock
) -> None:
    """A result file downloads as a real PNG; over the cap it is refused without loading it all."""
    created = await client.create_task(key, SDXL)
    clock.advance(10)
    url = (await client.get_task(key, created.task_id)).outputs[0].url
    assert url is not None
    data = await client.download(url, 10_000_000)
    assert data is not None
    assert data.startswith(b"\x89PNG")
    assert await client.download(url, 10) is None
