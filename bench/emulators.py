"""The emulators' process: RunningHub and Telegram on one event loop of their own.

Kept out of the bot's process so the CPU time and memory measured there are the bot's alone.
The parent talks to it over a `multiprocessing` pipe: ``progress`` (results posted so far),
``collect`` (everything the metrics need) and ``stop``.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from bot.sandbox.runninghub_emulator import EmulatorConfig, RunningHubEmulator
from bot.sandbox.telegram_emulator import Call, FloodLimits, TelegramEmulator
from bot.sandbox.tg_flood import is_flooded_method


@dataclass(frozen=True)
class EmulatorSpec:
    """What to start: clocks, run times, the chats that exist, Telegram's flood limits."""

    rh_clock: Callable[[], float]
    tg_clock: Callable[[], float]
    durations: Callable[[str], float]
    users: tuple[int, ...]
    groups: tuple[int, ...] = ()
    queue_seconds: float = 2.0
    flood: bool = False
    max_image_side: int = 64
    sweep_interval: float = 0.01


@dataclass(frozen=True)
class Ready:
    """Where the emulators listen and the one (SHARED) RunningHub key every user has."""

    rh_url: str
    tg_base_url: str
    tg_file_url: str
    token: str
    key: str


@dataclass(frozen=True)
class Sent:
    """One message Telegram accepted: method, chat, clock time, items (albums), file name."""

    method: str
    chat_id: int | str | None
    at: float
    items: int
    filename: str | None


@dataclass
class Collected:
    """Everything measured on the emulators' side of one run."""

    rh_paths: dict[str, int]
    tasks: dict[str, tuple[float, float]]  # remote id -> (created_at, ends_at), virtual
    sent: list[Sent]
    tg_statuses: dict[int, int]
    flood_rejections: int
    webhooks_sent: int


@dataclass
class _Watch:
    """Accepted calls seen so far (scanned incrementally) and the photos among them."""

    scanned: int = 0
    sent: list[Sent] = field(default_factory=list)
    photos: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)

    def scan(self, calls: list[Call]) -> None:
        for call in calls[self.scanned :]:
            self.statuses[call.status] += 1
            if not call.ok or not is_flooded_method(call.method):
                continue
            upload = next(iter(call.files.values()), None)
            name = upload.filename if upload is not None else None
            items = len(call.result) if isinstance(call.result, list) else 1
            self.sent.append(Sent(call.method, call.params.get("chat_id"), call.time, items, name))
            if call.method == "sendPhoto" and name is not None:
                self.photos.add(name)
        self.scanned = len(calls)


RH_PATHS = (
    "/task/openapi/create",
    "/openapi/v2/query",
    "/task/openapi/status",
    "/task/openapi/outputs",
    "/files/",
)


async def _serve(spec: EmulatorSpec, conn: Connection) -> None:
    config = EmulatorConfig(
        queue_seconds=spec.queue_seconds,
        duration_fn=spec.durations,
        clock=spec.rh_clock,
        record_requests=False,
        max_image_side=spec.max_image_side,
        sweep_interval=spec.sweep_interval,
        webhook_retry_delay=0.2,
    )
    rh = RunningHubEmulator(config)
    flood = FloodLimits() if spec.flood else None
    tg = TelegramEmulator(flood=flood, clock=spec.tg_clock, keep_file_bytes=False)
    key = rh.register_key(api_type="SHARED", concurrent_limit=10**7, coins=10**12)
    await rh.start()
    await tg.start()
    for user in spec.users:
        tg.user(user, f"user{user}")
        tg.private_chat(user)
    for group in spec.groups:
        tg.group_chat(group, f"group{group}")
    conn.send(Ready(rh.base_url, tg.base_url, tg.base_file_url, tg.token, key))
    watch = _Watch()
    try:
        while True:
            command, argument = await asyncio.to_thread(conn.recv)
            watch.scan(tg.calls)
            if command == "progress":
                conn.send((len(watch.photos), len(watch.sent)))
            elif command == "collect":
                conn.send(_collect(rh, tg, watch, argument))
            else:
                break
    finally:
        await tg.stop()
        await rh.stop()


def _collect(
    rh: RunningHubEmulator, tg: TelegramEmulator, watch: _Watch, remote_ids: list[str]
) -> Collected:
    paths = {path: rh.request_count(path) for path in RH_PATHS}
    paths["all"] = rh.request_count()
    tasks, webhooks = {}, 0
    for remote_id in remote_ids:
        task = rh.task(remote_id)
        if task is not None:
            tasks[remote_id] = (task.created_at, task.ends_at)
        record = rh.webhook(remote_id)
        webhooks += record is not None and record.status == "SUCCESS"
    return Collected(
        rh_paths=paths,
        tasks=tasks,
        sent=list(watch.sent),
        tg_statuses=dict(watch.statuses),
        flood_rejections=tg.flood_rejections,
        webhooks_sent=webhooks,
    )


def _main(spec: EmulatorSpec, conn: Connection) -> None:
    asyncio.run(_serve(spec, conn))


class Emulators:
    """Handle on the emulators' process (use as a context manager)."""

    def __init__(self, spec: EmulatorSpec) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_main, args=(spec, child), name="emulators")
        self._process.start()
        child.close()
        ready = self._conn.recv()
        assert isinstance(ready, Ready)
        self.ready = ready

    def _ask(self, command: str, argument: Any = None) -> Any:
        self._conn.send((command, argument))
        return self._conn.recv()

    def progress(self) -> tuple[int, int]:
        """(distinct result files accepted by sendPhoto, messages accepted in all)."""
        photos, messages = self._ask("progress")
        return int(photos), int(messages)

    def collect(self, remote_ids: list[str]) -> Collected:
        """Everything measured so far, with the run times of the tasks `remote_ids` name."""
        collected = self._ask("collect", remote_ids)
        assert isinstance(collected, Collected)
        return collected

    def close(self) -> None:
        """Stop the emulators and wait for the process."""
        if self._process.is_alive():
            self._conn.send(("stop", None))
            self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()

    def __enter__(self) -> Emulators:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
