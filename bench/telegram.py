"""Scenario 3: 1,000 results to 200 chats (a quarter of them groups) under Telegram's limits.

The results are real: the bench runs 1,000 instant tasks on the RunningHub emulator and seeds
the ledger with them as just finished (SUCCESS, outputs stored, not delivered), exactly as
the poller leaves a task when it sees it end. The real bot then delivers them all at once
through its poller, `TelegramNotifier` and `Sender` — each result is a photo (downloaded
from the emulator) followed by the task's final status card — into the fake Telegram
server, which enforces the flood limits and answers 429 beyond them.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench.botrun import BotProcess, BotSpec
from bench.clock import Fixed, VirtualClock
from bench.emulators import Emulators, EmulatorSpec
from bench.metrics import min_send_time, photo_times
from bench.seed import SDXL_WORKFLOW, mixed_plan


@dataclass(frozen=True)
class TelegramCase:
    """How many results to how many chats, and which rate limiter the bot uses."""

    name: str
    results: int = 1000
    chats: int = 200
    group_share: float = 0.25
    limiter: str = "telegram"


async def finished_results(rh_url: str, key: str, count: int) -> tuple[tuple[str, str], ...]:
    """Run `count` instant tasks on the emulator; return (task id, result URL) for each."""
    gate = asyncio.Semaphore(32)
    headers = {"Authorization": f"Bearer {key}"}

    async with aiohttp.ClientSession(rh_url, headers=headers) as session:

        async def one(_: int) -> tuple[str, str]:
            async with gate:
                body = {"apiKey": key, "workflowId": SDXL_WORKFLOW}
                async with session.post("/task/openapi/create", json=body) as response:
                    task_id = str((await response.json())["data"]["taskId"])
                async with session.post("/openapi/v2/query", json={"taskId": task_id}) as response:
                    url = str((await response.json())["results"][0]["url"])
            return task_id, url

        return tuple(await asyncio.gather(*(one(i) for i in range(count))))


def run_telegram_case(case: TelegramCase, timeout: float) -> dict[str, Any]:
    """Deliver the results, wait until Telegram has accepted everything, measure."""
    plan = mixed_plan(case.results, case.chats, case.group_share)
    clock = VirtualClock.start(1.0)
    spec = EmulatorSpec(
        rh_clock=clock,
        tg_clock=clock,
        durations=Fixed(0.0),
        users=plan.users,
        groups=plan.groups,
        queue_seconds=0.0,
        flood=True,
    )
    with Emulators(spec) as emulators, tempfile.TemporaryDirectory() as tmp:
        ready = emulators.ready
        finished = asyncio.run(finished_results(ready.rh_url, ready.key, case.results))
        bot = BotProcess(
            BotSpec(
                ready=ready,
                plan=plan,
                db_path=Path(tmp) / "bot.sqlite3",
                factor=1.0,
                limiter=case.limiter,
                finished=finished,
            )
        )
        deadline, last, quiet_since = time.monotonic() + timeout, -1, time.monotonic()
        while bot.alive() and time.monotonic() < deadline:
            photos, messages = emulators.progress()
            if messages != last:
                last, quiet_since = messages, time.monotonic()
            elif photos >= case.results and time.monotonic() - quiet_since > 1.5:
                break
            time.sleep(0.25)
        result = bot.stop()
        collected = emulators.collect([])
    sent = collected.sent
    span = max(m.at for m in sent) - min(m.at for m in sent) if sent else float("nan")
    bound = min_send_time(sent)
    methods: dict[str, int] = {}
    for message in sent:
        methods[message.method] = methods.get(message.method, 0) + 1
    return {
        "name": case.name,
        "limiter": case.limiter,
        "results": case.results,
        "chats": case.chats,
        "groups": len(plan.groups),
        "messages": len(sent),
        "messages_by_method": methods,
        "seconds": round(span, 1),
        "minimum_seconds": round(bound, 1),
        "ratio_to_minimum": round(span / bound, 2) if bound else None,
        "http_429": collected.tg_statuses.get(429, 0),
        "results_delivered": len(photo_times(sent)),
        "results_lost": case.results - len(photo_times(sent)),
        "ledger_undelivered": result.undelivered,
        "cpu_s": round(result.cpu_seconds, 1),
        "errors_logged": result.errors_logged,
    }
