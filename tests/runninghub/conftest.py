"""Fixtures for client tests: an emulator on a hand-moved clock and a client with no real sleeps."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.runninghub.client import RunningHubClient
from bot.runninghub.models import Dialect
from bot.runninghub.retry import RetryPolicy
from bot.sandbox.runninghub_emulator import EmulatorConfig, ManualClock, RunningHubEmulator


class SleepLog:
    """An injected sleep that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def clock() -> ManualClock:
    """The emulator's clock, moved by the test."""
    return ManualClock()


@pytest.fixture
async def emu(clock: ManualClock) -> AsyncIterator[RunningHubEmulator]:
    """An emulator: 2 s queued, 5 s running, on the manual clock."""
    config = EmulatorConfig(queue_seconds=2.0, run_seconds=5.0, clock=clock, sweep_interval=0.01)
    async with RunningHubEmulator(config) as emulator:
        yield emulator


@pytest.fixture
def sleeps() -> SleepLog:
    """The retry policy's sleeps."""
    return SleepLog()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """The one shared HTTP client."""
    async with httpx.AsyncClient() as client:
        yield client


def make_client(
    http: httpx.AsyncClient, emu: RunningHubEmulator, sleeps: SleepLog, dialect: Dialect
) -> RunningHubClient:
    """A client for the emulator with a seeded, recorded retry policy."""
    policy = RetryPolicy(attempts=3, base=0.5, cap=4.0, sleep=sleeps, rng=random.Random(1))
    return RunningHubClient(http, emu.base_url, dialect=dialect, retry=policy, read_timeout=2.0)


@pytest.fixture
def client(http: httpx.AsyncClient, emu: RunningHubEmulator, sleeps: SleepLog) -> RunningHubClient:
    """A client speaking the real API."""
    return make_client(http, emu, sleeps, Dialect.CURRENT)


@pytest.fixture
def seed_client(
    http: httpx.AsyncClient, emu: RunningHubEmulator, sleeps: SleepLog
) -> RunningHubClient:
    """A client speaking the old README's dialect."""
    return make_client(http, emu, sleeps, Dialect.SEED)


@pytest.fixture
def key(emu: RunningHubEmulator) -> str:
    """A registered NORMAL key (concurrency 1)."""
    return emu.register_key()
