"""RunningHub emulator — public entry: the server, its configuration, faults and the CLI.

Endpoints (one origin): v1 ``/task/openapi/{create,outputs,status,cancel,upload,
getWebhookDetail,retryWebhook}``, ``/uc/openapi/accountStatus``, ``/api/openapi/getJsonApiFormat``;
v2 ``/openapi/v2/run/workflow/{id}``, ``/openapi/v2/query``, ``/openapi/v2/media/upload/binary``,
``GET /openapi/v2/queue/status``; seed ``/task/openapi/createWithParams`` and
``GET /task/openapi/status`` (shapes in `bot.sandbox.rh_routes_seed`); signed files under
``/files/``. A task is QUEUED for `queue_seconds`, RUNNING for `run_seconds` (or
`duration_fn`), then SUCCESS/FAILED, all computed lazily from `config.clock`.
Error spellings per dialect: `bot.sandbox.rh_codes`; create rules: `bot.sandbox.rh_core`.

Run ``runninghub-bot emulator [--port N] [--fault SPEC ...]`` (wired to `emulator_main`);
fault spec grammar: `bot.sandbox.rh_faults`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Callable

from bot.sandbox.rh_catalogue import Catalogue, OutputSpec, Workflow
from bot.sandbox.rh_config import EmulatorConfig, ManualClock
from bot.sandbox.rh_core import RecordedRequest
from bot.sandbox.rh_faults import Fault, FaultKind, faults_from_cli
from bot.sandbox.rh_server import RunningHubEmulator
from bot.sandbox.rh_state import EmulatedTask, TaskState
from bot.sandbox.rh_webhooks import WebhookRecord

__all__ = [
    "Catalogue",
    "EmulatedTask",
    "EmulatorConfig",
    "Fault",
    "FaultKind",
    "ManualClock",
    "OutputSpec",
    "RecordedRequest",
    "RunningHubEmulator",
    "TaskState",
    "WebhookRecord",
    "Workflow",
    "banner",
    "emulator_main",
    "faults_from_cli",
    "serve_forever",
]


def banner(emulator: RunningHubEmulator, key: str) -> str:
    """The start-up text: base URL, the key, and the catalogue (id, name, inputs)."""
    lines = [
        f"RunningHub emulator listening on {emulator.base_url}",
        f"API key: {key}",
        "",
        f"{'workflow id':<21}{'name':<36}inputs",
    ]
    for workflow in emulator.catalogue:
        inputs = ", ".join(workflow.editable_inputs())
        lines.append(f"{workflow.workflow_id:<21}{workflow.name:<36}{inputs}")
    return "\n".join(lines)


async def serve_forever(
    port: int,
    faults: list[str],
    config: EmulatorConfig | None = None,
    *,
    key: str | None = None,
    api_type: str = "NORMAL",
    host: str = "127.0.0.1",
    out: Callable[[str], None] = print,
) -> None:
    """Start an emulator with one registered key, print the banner, run until cancelled."""
    parsed = faults_from_cli(faults)
    emulator = RunningHubEmulator(config)
    for fault in parsed:
        emulator.inject(fault)
    registered = emulator.register_key(key, api_type=api_type)
    await emulator.start(host, port)
    try:
        out(banner(emulator, registered))
        await asyncio.Event().wait()
    finally:
        await emulator.stop()


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The emulator's command-line arguments."""
    parser = argparse.ArgumentParser(prog="runninghub-bot emulator")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fault", action="append", default=[], help="e.g. 502:*:3")
    parser.add_argument("--queue-seconds", type=float, default=2.0)
    parser.add_argument("--run-seconds", type=float, default=5.0)
    parser.add_argument("--key", default=None, help="API key to register (random if omitted)")
    parser.add_argument("--api-type", default="NORMAL", choices=["NORMAL", "SHARED", "EXCLUSIVE"])
    return parser.parse_args(argv)


def emulator_main(argv: list[str]) -> int:
    """CLI entry: serve until Ctrl-C; 0 on a clean stop, 1 if the port is busy, 2 on bad args."""
    args = parse_args(argv)
    try:
        faults_from_cli(args.fault)
    except ValueError as exc:
        print(f"error: {exc}")
        return 2
    config = EmulatorConfig(queue_seconds=args.queue_seconds, run_seconds=args.run_seconds)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(
                serve_forever(args.port, args.fault, config, key=args.key, api_type=args.api_type)
            )
    except OSError as exc:
        print(f"error: cannot listen on port {args.port}: {exc.strerror}")
        return 1
    return 0
