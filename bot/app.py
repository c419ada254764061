"""The composition root: builds every resource, wires the handlers, runs and closes them.

Nothing else constructs services. Resources open in `post_init` (database, HTTP client,
poller) and close in `post_stop`/`post_shutdown`, so polling, webhook mode, the sandbox and the
tests all share one lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
from telegram.ext import ApplicationBuilder, ContextTypes

from bot.callbacks import CallbackServer
from bot.config import Settings
from bot.context import SERVICES_KEY, BotApplication, BotContext
from bot.health import beat, heartbeat_path
from bot.poller import Poller
from bot.ratelimit import TelegramRateLimiter
from bot.runninghub.client import RunningHubClient
from bot.runninghub.retry import RetryPolicy, Sleep
from bot.wiring import build_services
from handlers import register, set_commands
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The resources one running bot owns, closed in reverse order of opening."""

    settings: Settings
    retry_sleep: Sleep = asyncio.sleep
    idle_wait: float = 1.0
    db: Database | None = None
    http: httpx.AsyncClient | None = None
    poller: Poller | None = None
    poller_task: asyncio.Task[None] | None = None
    heartbeat_task: asyncio.Task[None] | None = None
    callbacks: CallbackServer | None = None
    extras: list[contextlib.AsyncExitStack] = field(default_factory=list)

    async def startup(self, app: BotApplication) -> None:
        """Open the ledger and the HTTP client, build the services, start the poller."""
        settings = self.settings
        self.db = await Database.open(settings.database_path)
        self.http = httpx.AsyncClient(
            timeout=settings.runninghub_timeout,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )
        client = RunningHubClient(
            self.http,
            settings.runninghub_base_url,
            dialect=settings.runninghub_api_dialect,
            retry=RetryPolicy(sleep=self.retry_sleep),
            read_timeout=settings.runninghub_timeout,
            create_timeout=settings.runninghub_create_timeout,
        )
        services, self.poller = build_services(settings, self.db, client, app.bot, self.idle_wait)
        app.bot_data[SERVICES_KEY] = services
        await set_commands(app)
        if settings.runninghub_webhook_url:
            self.callbacks = CallbackServer(
                settings.runninghub_webhook_url,
                settings.runninghub_webhook_listen,
                settings.runninghub_webhook_port,
                services.runs.remote_finished,
            )
            await self.callbacks.start()
        self.poller_task = asyncio.create_task(self.poller.run(), name="poller")
        self.heartbeat_task = asyncio.create_task(
            beat(heartbeat_path(settings.database_path)), name="heartbeat"
        )
        log.info("bot started as @%s", app.bot.username)

    async def stop_poller(self, app: BotApplication) -> None:
        """Stop the poller and let deliveries in flight finish (the bot is still usable)."""
        for task in (self.poller_task, self.heartbeat_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self.poller_task = self.heartbeat_task = None
        if self.poller is not None:
            await self.poller.stop()

    async def close(self, app: BotApplication) -> None:
        """Close the HTTP client and the ledger."""
        await self.stop_poller(app)
        if self.callbacks is not None:
            await self.callbacks.stop()
            self.callbacks = None
        if self.http is not None:
            await self.http.aclose()
            self.http = None
        if self.db is not None:
            await self.db.close()
            self.db = None


def rate_limiter(settings: Settings) -> TelegramRateLimiter:
    """Telegram's flood limits kept on our side (off only for emulators); 429s always retried."""
    if settings.telegram_flood_limits:
        return TelegramRateLimiter(max_retries=3)
    return TelegramRateLimiter(
        overall_per_second=0, chat_per_second=0, group_per_minute=0, max_retries=3
    )


def build_application(settings: Settings, runtime: Runtime | None = None) -> BotApplication:
    """Build the PTB Application with every handler and the runtime's lifecycle hooks."""
    settings.require("telegram_bot_token", "bot_master_key")
    assert settings.telegram_bot_token is not None
    runtime = runtime or Runtime(settings)
    app: BotApplication = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(rate_limiter(settings))
        .concurrent_updates(64)
        .post_init(runtime.startup)
        .post_stop(runtime.stop_poller)
        .post_shutdown(runtime.close)
        .build()
    )
    register(app)
    return app


ALLOWED_UPDATES = ["message", "callback_query", "inline_query"]


def webhook_options(settings: Settings) -> dict[str, object]:
    """Arguments for PTB's webhook server: listen address, port, path, public URL, secret."""
    settings.require("telegram_webhook_secret")
    assert settings.telegram_webhook_secret is not None
    return {
        "listen": settings.telegram_webhook_listen,
        "port": settings.telegram_webhook_port,
        "url_path": settings.webhook_path(),
        "webhook_url": settings.telegram_webhook_url,
        "secret_token": settings.telegram_webhook_secret.get_secret_value(),
        "allowed_updates": ALLOWED_UPDATES,
    }


@contextlib.asynccontextmanager
async def running(
    app: BotApplication, settings: Settings | None = None, *, poll_timeout: int = 1
) -> AsyncIterator[BotApplication]:
    """Run the application inside an existing event loop (sandbox, tests): long polling, or
    the webhook server when the settings name a TELEGRAM_WEBHOOK_URL."""
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        if settings is not None and settings.telegram_webhook_url:
            await app.updater.start_webhook(**webhook_options(settings))  # type: ignore[arg-type]
        else:
            await app.updater.start_polling(
                poll_interval=0.0, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
        await app.start()
    except BaseException:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        raise
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
