"""Scenarios 1 and 2: N tasks in flight, polled (or called back) and delivered by one bot.

Run times are log-uniform from 5 s to 10 min (seeded), compressed by the time factor; the
same draws feed the baseline, run live (stepped virtual time) or on paper (`model`).
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.baseline import model, run_baseline
from bench.botrun import BotProcess, BotSpec
from bench.clock import LogUniform, SteppedClock, VirtualClock
from bench.emulators import Emulators, EmulatorSpec
from bench.metrics import after_burst, api_requests, deliveries, rounded, summary
from bench.seed import private_plan

QUEUE_SECONDS = 2.0  # virtual seconds each task waits in RunningHub's queue before running


@dataclass(frozen=True)
class PollerCase:
    """One bot run: how many tasks, how compressed, which policy, webhooks or not."""

    name: str
    tasks: int
    factor: float
    poll_max: float = 30.0
    webhook: bool = False
    per_user: int = 10
    longest: float = 600.0  # virtual seconds: run times are log-uniform from 5 s to this
    seed: int = 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_bot_case(case: PollerCase, timeout: float) -> dict[str, Any]:
    """Start the emulators and the bot, wait until every result is posted, measure."""
    plan = private_plan(case.tasks, case.per_user)
    clock = VirtualClock.start(case.factor)
    spec = EmulatorSpec(
        rh_clock=clock,
        tg_clock=clock,
        durations=LogUniform(high=case.longest, seed=case.seed),
        users=plan.users,
        queue_seconds=QUEUE_SECONDS,
    )
    with Emulators(spec) as emulators, tempfile.TemporaryDirectory() as tmp:
        bot = BotProcess(
            BotSpec(
                ready=emulators.ready,
                plan=plan,
                db_path=Path(tmp) / "bot.sqlite3",
                factor=case.factor,
                poll_max=case.poll_max,
                webhook_port=_free_port() if case.webhook else None,
            )
        )
        deadline = time.monotonic() + timeout
        while bot.alive() and time.monotonic() < deadline:
            if emulators.progress()[0] >= case.tasks:
                break
            time.sleep(0.25)
        result = bot.stop()
        collected = emulators.collect(list(result.remote_ids.values()))
    latencies, in_flight = deliveries(result.remote_ids, collected)
    steady = after_burst(result.remote_ids, collected)
    requests = api_requests(collected.rh_paths)
    task_hours = sum(in_flight) / 3600 or float("nan")
    created = [times[0] for times in collected.tasks.values()] or [0.0]
    return {
        "name": case.name,
        "mode": "webhook" if case.webhook else "polling",
        "tasks": case.tasks,
        "factor": case.factor,
        "poll_max_virtual_s": case.poll_max,
        "delivered": len(latencies),
        "lost": case.tasks - len(latencies),
        "rh_requests_per_task": round(requests / case.tasks, 2),
        "polls_per_task": round(collected.rh_paths["/openapi/v2/query"] / case.tasks, 2),
        "downloads_per_task": round(collected.rh_paths["/files/"] / case.tasks, 2),
        "webhooks_received": collected.webhooks_sent,
        "submission_span_virtual_s": round(max(created) - min(created), 1),
        "latency_virtual_s": summary(latencies),
        "latency_real_s": summary([x / case.factor for x in latencies]),
        "after_burst_tasks": len(steady),
        "after_burst_latency_virtual_s": summary(steady),
        **rounded(
            {
                "cpu_s": result.cpu_seconds,
                "wall_s": result.wall_seconds,
                "cpu_busy": result.cpu_seconds / result.wall_seconds,
                "cpu_ms_per_task": 1000 * result.cpu_seconds / case.tasks,
                "cpu_s_per_1k_task_hours": 1000 * result.cpu_seconds / task_hours,
                "peak_rss_mb": result.peak_rss_mb,
            }
        ),
        "telegram_calls": sum(collected.tg_statuses.values()),
        "errors_logged": result.errors_logged,
    }


def run_baseline_case(tasks: int, seed: int = 1) -> dict[str, Any]:
    """The naive client, live against the emulator in stepped virtual time."""
    clock = SteppedClock()
    spec = EmulatorSpec(
        rh_clock=clock,
        tg_clock=clock,
        durations=LogUniform(seed=seed),
        users=(),
        queue_seconds=QUEUE_SECONDS,
    )
    started = time.monotonic()
    with Emulators(spec) as emulators:
        run = asyncio.run(run_baseline(emulators.ready.rh_url, emulators.ready.key, tasks, clock))
        collected = emulators.collect(run.remote_ids)
    latencies = [run.done_at[r] - collected.tasks[r][1] for r in run.remote_ids if r in run.done_at]
    return {
        "name": f"baseline {tasks:,} (live)",
        "mode": "baseline",
        "tasks": tasks,
        "rh_requests_per_task": round(api_requests(collected.rh_paths) / tasks, 2),
        "latency_virtual_s": summary(latencies),
        "lost": tasks - len(latencies),
        "wall_s": round(time.monotonic() - started, 1),
    }


def baseline_model_case(tasks: int, seed: int = 1) -> dict[str, Any]:
    """The naive client on paper, for the same run times (checked against the live run)."""
    draw = LogUniform(seed=seed)
    ends = [QUEUE_SECONDS + draw("") for _ in range(tasks)]
    requests, latencies = model(ends)
    return {
        "name": f"baseline {tasks:,} (model)",
        "mode": "baseline",
        "tasks": tasks,
        "rh_requests_per_task": round(sum(requests) / tasks, 2),
        "latency_virtual_s": summary(latencies),
        "lost": 0,
    }
