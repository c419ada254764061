"""The naive baseline: every task polled every 5 s with `status`, then `outputs`.

That is the pattern of public RunningHub clients. It runs against the same emulator over
HTTP (aiohttp) in stepped virtual time: the emulator's clock is moved to each 5-second tick
and every poll due then is sent before the next tick, so CPU never makes the baseline late —
it is measured at its best. `model()` is the same client worked out on paper (the number of
ticks until a task ends), used where sending half a million requests would not fit the time
budget; the live run at 1,000 tasks checks it.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp

from bench.clock import SteppedClock
from bench.seed import SDXL_WORKFLOW

TICK = 5.0
T = TypeVar("T")


@dataclass(frozen=True)
class BaselineRun:
    """Per task: RunningHub id, requests sent, and when the outputs were in hand (virtual)."""

    remote_ids: list[str]
    requests: int
    done_at: dict[str, float]


async def _bounded(items: Sequence[T], work: Callable[[T], Awaitable[Any]], limit: int) -> None:
    gate = asyncio.Semaphore(limit)

    async def one(item: T) -> None:
        async with gate:
            await work(item)

    await asyncio.gather(*(one(item) for item in items))


async def run_baseline(
    rh_url: str, key: str, n_tasks: int, clock: SteppedClock, concurrency: int = 64
) -> BaselineRun:
    """Create `n_tasks` tasks at virtual time 0 and poll each every 5 s until it is done."""
    clock.set(0.0)
    created: list[str] = []
    requests = 0

    async with aiohttp.ClientSession(rh_url) as session:

        async def call(path: str, body: dict[str, Any]) -> dict[str, Any]:
            nonlocal requests
            requests += 1
            async with session.post(path, json={"apiKey": key, **body}) as response:
                answer: dict[str, Any] = await response.json()
                return answer

        async def create(_: int) -> None:
            answer = await call("/task/openapi/create", {"workflowId": SDXL_WORKFLOW})
            created.append(str(answer["data"]["taskId"]))

        await _bounded(range(n_tasks), create, concurrency)
        done_at: dict[str, float] = {}
        waiting = list(created)
        now = 0.0
        while waiting:
            now += TICK
            clock.set(now)

            async def poll(task_id: str, now: float = now) -> None:
                await call("/task/openapi/status", {"taskId": task_id})
                outputs = await call("/task/openapi/outputs", {"taskId": task_id})
                if outputs["code"] == 0:
                    done_at[task_id] = now

            await _bounded(waiting, poll, concurrency)
            waiting = [task_id for task_id in waiting if task_id not in done_at]
    return BaselineRun(created, requests, done_at)


def model(ends: Sequence[float]) -> tuple[list[int], list[float]]:
    """The baseline on paper: requests per task and latency for tasks ending at `ends`."""
    ticks = [max(1, math.ceil(end / TICK)) for end in ends]
    return [1 + 2 * k for k in ticks], [k * TICK - end for k, end in zip(ticks, ends, strict=True)]
