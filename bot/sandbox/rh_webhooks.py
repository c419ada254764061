"""TASK_END webhook delivery: one sweeper coroutine over a heap of task end times.

When a task with a `webhookUrl` ends (or is cancelled) the sweeper POSTs its callback body in a
background task, retrying up to `webhook_retries` times `webhook_retry_delay` seconds apart; the
outcome is kept for ``getWebhookDetail`` and can be re-sent with ``retryWebhook``.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp

from bot.sandbox.rh_config import EmulatorConfig
from bot.sandbox.rh_state import TERMINAL, EmulatedTask


def _stamp() -> str:
    return datetime.now().strftime("%Y-%m-%dT%H:%M:%S")


@dataclass(eq=False)
class WebhookRecord:
    """Delivery state of one task's callback."""

    webhook_id: str
    task: EmulatedTask = field(repr=False)
    url: str
    event_data: str = ""
    status: str = "PENDING"
    response: str = ""
    retry_count: int = 0
    create_time: str = field(default_factory=_stamp)
    update_time: str = field(default_factory=_stamp)


class Webhooks:
    """Schedules, delivers and remembers webhook callbacks."""

    def __init__(
        self,
        config: EmulatorConfig,
        body: Callable[[EmulatedTask], dict[str, Any]],
        new_id: Callable[[], str],
    ) -> None:
        self._config = config
        self._body = body
        self._new_id = new_id
        self._heap: list[tuple[float, int, EmulatedTask]] = []
        self._seq = itertools.count()
        self.records: dict[str, WebhookRecord] = {}
        self._by_id: dict[str, WebhookRecord] = {}
        self._session: aiohttp.ClientSession | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()

    def watch(self, task: EmulatedTask) -> None:
        """Core watcher: remember `task` (when it has a webhook) and when it ends."""
        if task.webhook_url is None:
            return
        if task.task_id not in self.records:
            record = WebhookRecord(self._new_id(), task, task.webhook_url)
            self.records[task.task_id] = record
            self._by_id[record.webhook_id] = record
        end = task.ends_at if task.cancelled_at is None else task.cancelled_at
        heapq.heappush(self._heap, (end, next(self._seq), task))

    def by_webhook_id(self, webhook_id: str) -> WebhookRecord | None:
        """The record with this webhook id."""
        return self._by_id.get(webhook_id)

    async def start(self) -> None:
        """Open the HTTP session and start the sweeper."""
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self._config.webhook_timeout)
        )
        self._sweeper = asyncio.create_task(self._sweep())

    async def stop(self) -> None:
        """Stop the sweeper and in-flight deliveries; close the session."""
        pending = [t for t in (self._sweeper, *self._sending) if t is not None]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        self._sweeper = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _sweep(self) -> None:
        while True:
            now = self._config.clock()
            while self._heap and self._heap[0][0] <= now:
                task = heapq.heappop(self._heap)[2]
                record = self.records[task.task_id]
                if record.status == "PENDING" and task.state_at(now) in TERMINAL:
                    self.send(record)
            await asyncio.sleep(self._config.sweep_interval)

    def send(self, record: WebhookRecord) -> None:
        """Deliver `record` in the background (with retries)."""
        record.status = "RETRYING"
        sender = asyncio.create_task(self._deliver(record))
        self._sending.add(sender)
        sender.add_done_callback(self._sending.discard)

    async def _deliver(self, record: WebhookRecord) -> None:
        body = self._body(record.task)
        record.event_data = body["eventData"]
        record.retry_count = 0
        for attempt in range(self._config.webhook_retries + 1):
            if attempt:
                record.retry_count = attempt
                await asyncio.sleep(self._config.webhook_retry_delay)
            if await self._post(record, body):
                record.status = "SUCCESS"
                return
        record.status = "FAILED"

    async def _post(self, record: WebhookRecord, body: dict[str, Any]) -> bool:
        record.update_time = _stamp()
        if self._session is None:
            record.response = "emulator stopped"
            return False
        try:
            async with self._session.post(record.url, json=body) as response:
                text = await response.text()
                record.response = f"HTTP {response.status}: {text[:200]}"
                return 200 <= response.status < 300
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            record.response = f"{type(exc).__name__}: {exc}"[:300]
            return False
