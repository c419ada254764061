"""The emulator's command line: banner, serve_forever, emulator_main exit codes."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from bot.sandbox.runninghub_emulator import (
    RunningHubEmulator,
    banner,
    emulator_main,
    serve_forever,
)


async def test_banner_lists_url_key_and_catalogue(rh_emulator: RunningHubEmulator) -> None:
    """The banner shows the base URL, the key and each workflow's id, name and inputs."""
    text = banner(rh_emulator, "k" * 32)
    assert rh_emulator.base_url in text
    assert "k" * 32 in text
    for workflow in rh_emulator.catalogue:
        assert workflow.workflow_id in text
        assert workflow.name in text
    assert "6.text" in text
    assert "10.image" in text
    assert "3.model" not in text


async def test_serve_forever_serves_the_printed_key_until_cancelled() -> None:
    """serve_forever prints the banner, answers with the registered key, stops on cancel."""
    printed: list[str] = []
    server = asyncio.create_task(
        serve_forever(0, ["502:/task/openapi/outputs:1"], key="a" * 32, out=printed.append)
    )
    for _ in range(200):
        if printed:
            break
        await asyncio.sleep(0.01)
    base_url = printed[0].splitlines()[0].rsplit(" ", 1)[1]
    assert f"API key: {'a' * 32}" in printed[0]
    async with httpx.AsyncClient(base_url=base_url) as client:
        answer = await client.post("/uc/openapi/accountStatus", json={"apikey": "a" * 32})
        assert answer.json()["data"]["apiType"] == "NORMAL"
        faulty = await client.post("/task/openapi/outputs", json={})
        assert faulty.status_code == 502
        server.cancel()
        with pytest.raises(asyncio.CancelledError):
            await server
        with pytest.raises(httpx.ConnectError):
            await client.post("/uc/openapi/accountStatus", json={})


def test_emulator_main_rejects_bad_faults(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --fault makes emulator_main print an error and return 2."""
    assert emulator_main(["--fault", "teapot:*"]) == 2
    assert "bad fault spec" in capsys.readouterr().out


def test_emulator_main_reports_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    """When the port is taken emulator_main prints why and returns 1."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert emulator_main(["--port", str(port), "--run-seconds", "1"]) == 1
    assert f"cannot listen on port {port}" in capsys.readouterr().out
