"""Webhook mode of the fake server: POST queued updates to the bot's webhook URL.

While a webhook is set, updates are delivered one at a time, in order, with the header
`X-Telegram-Bot-Api-Secret-Token` when `setWebhook` gave a secret. A delivery that does not
get a 2xx answer is retried with a short backoff, as Telegram keeps retrying.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.sandbox.tg_updates import UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


@dataclass(frozen=True)
class WebhookDelivery:
    """One attempt to deliver an update: its id, the HTTP status (None on error), the error."""

    update_id: int
    status: int | None
    error: str | None = None


@dataclass
class WebhookConfig:
    """What `setWebhook` stored."""

    url: str
    secret_token: str | None = field(default=None, repr=False)
    max_connections: int = 40
    allowed_updates: list[str] = field(default_factory=list)


class WebhookSender:
    """Delivers the update queue to the webhook while one is set."""

    def __init__(self, queue: UpdateQueue, *, retry_delay: float = 0.05) -> None:
        self._queue = queue
        self._retry_delay = retry_delay
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self.config: WebhookConfig | None = None
        self.deliveries: list[WebhookDelivery] = []
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None

    def info(self) -> dict[str, Any]:
        """The `WebhookInfo` object for `getWebhookInfo`."""
        info: dict[str, Any] = {
            "url": self.config.url if self.config else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue.pending),
        }
        if self.config:
            info["max_connections"] = self.config.max_connections
            if self.config.allowed_updates:
                info["allowed_updates"] = list(self.config.allowed_updates)
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def set(self, config: WebhookConfig) -> None:
        """Set (or replace) the webhook and start delivering."""
        await self.delete()
        self.config = config
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._task = asyncio.create_task(self._run(config, self._session))

    async def delete(self) -> None:
        """Remove the webhook; pending updates stay for `getUpdates`."""
        self.config = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def close(self) -> None:
        """Stop delivering and close the HTTP client."""
        await self.delete()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self, config: WebhookConfig, session: aiohttp.ClientSession) -> None:
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        failures = 0
        while True:
            batch = self._queue.ready(1)
            if not batch:
                await self._queue.changed(1.0)
                continue
            update = batch[0]
            status, error = await self._post(session, config.url, update, headers)
            self.deliveries.append(WebhookDelivery(update["update_id"], status, error))
            if status is not None and 200 <= status < 300:
                self._queue.confirm(update["update_id"] + 1)
                failures = 0
                continue
            failures += 1
            self.last_error_date = self._queue.now()
            self.last_error_message = error or f"Wrong response from the webhook: {status}"
            await asyncio.sleep(min(self._retry_delay * 2 ** min(failures, 6), 1.0))

    @staticmethod
    async def _post(
        session: aiohttp.ClientSession, url: str, update: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int | None, str | None]:
        try:
            async with session.post(url, json=update, headers=headers) as response:
                await response.read()
                return response.status, None
        except (aiohttp.ClientError, TimeoutError) as exc:
            return None, f"Connection failed: {type(exc).__name__}"
