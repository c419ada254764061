"""The client's error tree and retry policy against the emulator's faults."""

from __future__ import annotations

import httpx
import pytest

from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import (
    AuthenticationError,
    BillingError,
    CapacityError,
    InvalidRequestError,
    MalformedResponseError,
    OutcomeUnknownError,
    TransientError,
)
from bot.runninghub.models import Dialect
from bot.sandbox.runninghub_emulator import Fault, RunningHubEmulator
from tests.runninghub.conftest import SleepLog, make_client

SDXL = "1904136902449209346"


async def test_wrong_key_is_an_authentication_error(client: RunningHubClient) -> None:
    """An unknown key is refused everywhere as AuthenticationError."""
    with pytest.raises(AuthenticationError):
        await client.account_status("0" * 32)
    with pytest.raises(AuthenticationError):
        await client.create_task("0" * 32, SDXL)


async def test_free_account_is_a_billing_error_with_code_801(
    client: RunningHubClient, emu: RunningHubEmulator
) -> None:
    """A free account's key is refused with 801, a BillingError the bot names 'free account'."""
    free = emu.register_key(api_type="FREE")
    with pytest.raises(BillingError) as caught:
        await client.account_status(free)
    assert caught.value.code == "801"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (421, CapacityError),
        (415, CapacityError),
        (814, CapacityError),
        (416, BillingError),
        (414, BillingError),
        (803, InvalidRequestError),
    ],
)
async def test_create_refusals_map_to_their_class(
    client: RunningHubClient, key: str, emu: RunningHubEmulator, code: int, error: type[Exception]
) -> None:
    """Each business code on create raises its class and creates no task."""
    emu.inject(Fault("code", path="/task/openapi/create", code=code))
    with pytest.raises(error):
        await client.create_task(key, SDXL)
    assert (await client.account_status(key)).current_tasks == 0


@pytest.mark.parametrize(
    "fault",
    [
        Fault("http_502", path="/task/openapi/create"),
        Fault("non_json", path="/task/openapi/create"),
        Fault("drop", path="/task/openapi/create", after_create=True),
    ],
)
async def test_create_whose_answer_is_lost_is_outcome_unknown(
    client: RunningHubClient, key: str, emu: RunningHubEmulator, fault: Fault
) -> None:
    """A create answered with 502, garbage or nothing may have happened: OutcomeUnknown, one try."""
    emu.inject(fault)
    before = emu.request_count("/task/openapi/create")
    with pytest.raises(OutcomeUnknownError):
        await client.create_task(key, SDXL)
    assert emu.request_count("/task/openapi/create") == before + 1


async def test_create_that_cannot_connect_is_transient(http: httpx.AsyncClient) -> None:
    """A create that never reached a server is a TransientError (safe to try later)."""
    client = RunningHubClient(http, "http://127.0.0.1:9", read_timeout=1.0, create_timeout=1.0)
    with pytest.raises(TransientError):
        await client.create_task("k" * 32, SDXL)


async def test_reads_retry_transient_faults_with_backoff(
    client: RunningHubClient, key: str, emu: RunningHubEmulator, sleeps: SleepLog
) -> None:
    """Two 502s then an answer: the read succeeds after two jittered, bounded waits."""
    emu.inject(Fault("http_502", path="/uc/openapi/accountStatus", count=2))
    status = await client.account_status(key)
    assert status.api_type == "NORMAL"
    assert len(sleeps.waits) == 2
    assert 0.25 <= sleeps.waits[0] <= 0.5
    assert 0.5 <= sleeps.waits[1] <= 1.0


async def test_reads_give_up_after_the_bound(
    client: RunningHubClient, key: str, emu: RunningHubEmulator, sleeps: SleepLog
) -> None:
    """A read failing every time raises the last TransientError after the policy's attempts."""
    emu.inject(Fault("non_json", path="/openapi/v2/query", count=None))
    created = await client.create_task(key, SDXL)
    with pytest.raises(MalformedResponseError):
        await client.get_task(key, created.task_id)
    assert len(sleeps.waits) == 2


async def test_numeric_task_ids_keep_every_digit(
    http: httpx.AsyncClient, emu: RunningHubEmulator, sleeps: SleepLog, key: str
) -> None:
    """A taskId sent as a JSON number is kept exactly (never through a float)."""
    emu.config.numeric_task_ids = True
    client = make_client(http, emu, sleeps, Dialect.CURRENT)
    created = await client.create_task(key, SDXL)
    assert emu.task(created.task_id) is not None
    assert (await client.get_task(key, created.task_id)).task_id == created.task_id
