"""Fixtures for the RunningHub emulator tests: a manual clock, a started emulator, a key, a client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.sandbox.runninghub_emulator import EmulatorConfig, ManualClock, RunningHubEmulator


@pytest.fixture
def rh_clock() -> ManualClock:
    """A clock the test moves by hand."""
    return ManualClock()


@pytest.fixture
def rh_config(rh_clock: ManualClock) -> EmulatorConfig:
    """Emulator settings: 2 s queued, 5 s running, fast webhook retries."""
    return EmulatorConfig(
        queue_seconds=2.0,
        run_seconds=5.0,
        clock=rh_clock,
        webhook_retry_delay=0.01,
        sweep_interval=0.01,
        webhook_timeout=2.0,
    )


@pytest.fixture
async def rh_emulator(rh_config: EmulatorConfig) -> AsyncIterator[RunningHubEmulator]:
    """A started emulator on a free loopback port."""
    async with RunningHubEmulator(rh_config) as emulator:
        yield emulator


@pytest.fixture
def rh_key(rh_emulator: RunningHubEmulator) -> str:
    """A registered NORMAL key (concurrency 1, 10 000 coins)."""
    return rh_emulator.register_key()


@pytest.fixture
async def rh_client(rh_emulator: RunningHubEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """A plain httpx client bound to the emulator's base URL."""
    async with httpx.AsyncClient(base_url=rh_emulator.base_url, timeout=5.0) as client:
        yield client
