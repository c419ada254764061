"""Account status, uploads, workflow API JSON, the seed dialect and secrets kept out of logs."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactingFilter, configure_logging
from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import InvalidRequestError, RunningHubError
from bot.runninghub.models import NodeOverride, RemoteState
from bot.sandbox.runninghub_emulator import Fault, ManualClock, RunningHubEmulator

SDXL = "1904136902449209346"
IMG2IMG = "1904136902449209350"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_account_status_parses_string_numbers(client: RunningHubClient, key: str) -> None:
    """Coins, running tasks and key type come back typed."""
    await client.create_task(key, SDXL)
    status = await client.account_status(key)
    assert status.current_tasks == 1
    assert status.remain_coins is not None
    assert status.api_type == "NORMAL"


async def test_upload_returns_a_file_name_for_a_loader(
    client: RunningHubClient, key: str, emu: RunningHubEmulator
) -> None:
    """An uploaded image gets a file name a LoadImage node accepts."""
    uploaded = await client.upload(key, PNG, "cat.png", "image/png")
    assert uploaded.file_name.endswith(".png")
    assert emu.uploaded(uploaded.file_name) == PNG
    created = await client.create_task(
        key, IMG2IMG, [NodeOverride("10", "image", uploaded.file_name)]
    )
    assert created.task_id


async def test_upload_over_the_limit_is_refused(
    client: RunningHubClient, key: str, emu: RunningHubEmulator
) -> None:
    """A file over RunningHub's limit is refused with 809."""
    emu.config.upload_limit_bytes = 10
    with pytest.raises(InvalidRequestError) as caught:
        await client.upload(key, PNG, "cat.png", "image/png")
    assert caught.value.code == "809"


async def test_workflow_graph_separates_literals_from_links(
    client: RunningHubClient, key: str
) -> None:
    """The SDXL demo's API JSON parses into nodes with titles, literal inputs and links."""
    graph = await client.workflow_graph(key, SDXL)
    nodes = {n.node_id: n for n in graph.nodes}
    assert nodes["3"].class_type == "KSampler"
    inputs = {i.name: i for i in nodes["3"].inputs}
    assert inputs["steps"].link is None
    assert inputs["model"].link == ("4", 0)
    assert nodes["6"].title == "Positive"
    assert nodes["7"].title == "Negative"


async def test_seed_dialect_round_trip(
    seed_client: RunningHubClient, key: str, clock: ManualClock, emu: RunningHubEmulator
) -> None:
    """createWithParams with a params dict and GET status work end to end."""
    created = await seed_client.create_task(key, SDXL, [NodeOverride("6", "text", "fox")])
    assert emu.request_count("/task/openapi/createWithParams") == 1
    assert (await seed_client.get_task(key, created.task_id)).state is RemoteState.QUEUED
    clock.advance(10)
    done = await seed_client.get_task(key, created.task_id)
    assert done.state is RemoteState.SUCCESS
    assert done.outputs[0].file_type == "png"


async def test_seed_dialect_failure_carries_the_reason(
    seed_client: RunningHubClient, key: str, clock: ManualClock
) -> None:
    """A failing task in the seed dialect reads FAILED with its reason."""
    created = await seed_client.create_task(key, "1904136902449209351")
    clock.advance(10)
    failed = await seed_client.get_task(key, created.task_id)
    assert failed.state is RemoteState.FAILED
    assert failed.failure is not None
    assert "memory" in failed.failure.message.lower()


@pytest.mark.usefixtures("restore_logging")
async def test_the_key_never_reaches_logs_or_errors(
    seed_client: RunningHubClient,
    client: RunningHubClient,
    key: str,
    emu: RunningHubEmulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With the bot's logging at DEBUG, across successes and errors, nothing holds the key."""
    caplog.set_level(logging.DEBUG)
    configure_logging("DEBUG")
    messages: list[str] = []
    created = await seed_client.create_task(key, SDXL)
    await seed_client.get_task(key, created.task_id)
    emu.inject(Fault("http_502", path="*", count=None))
    for call in (
        lambda: client.get_task(key, created.task_id),
        lambda: client.create_task(key, SDXL),
        lambda: seed_client.get_task(key, created.task_id),
        lambda: client.account_status(key),
    ):
        with pytest.raises(RunningHubError) as caught:
            await call()
        messages += [str(caught.value), repr(caught.value), repr(client)]
    emu.clear_faults()
    with pytest.raises(RunningHubError) as bad:
        await client.account_status(key[::-1])
    messages.append(str(bad.value))
    logged = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages + logged if key in m or key[::-1] in m]
    assert not [r for r in caplog.records if r.name.startswith(("httpx", "httpcore"))]


def test_redacting_filter_scrubs_urls_tokens_and_bearer() -> None:
    """Whatever slips through to a handler loses tokens, apiKey parameters and Bearer values."""
    key = "ec4fd4f3b2209321b6d9d69e64c4ed7e"
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1,
        "GET %s Authorization: Bearer %s body={\"apiKey\": \"%s\"}",
        (f"http://h/bot123456:AAHk-secret_token/getMe?apiKey={key}&x=1", key, key),
        None,
    )  # fmt: skip
    RedactingFilter().filter(record)
    text = record.getMessage()
    assert key not in text
    assert "AAHk-secret_token" not in text
    assert "x=1" in text
