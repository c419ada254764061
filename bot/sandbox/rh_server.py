"""`RunningHubEmulator`: an aiohttp server emulating RunningHub on one loopback origin."""

from __future__ import annotations

import secrets
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from bot.sandbox.rh_catalogue import Catalogue, Workflow
from bot.sandbox.rh_config import EmulatorConfig
from bot.sandbox.rh_core import Core, RecordedRequest
from bot.sandbox.rh_faults import Fault
from bot.sandbox.rh_http import make_middleware
from bot.sandbox.rh_routes_files import FileRoutes
from bot.sandbox.rh_routes_seed import SeedRoutes
from bot.sandbox.rh_routes_v1 import V1Routes
from bot.sandbox.rh_routes_v2 import V2Routes
from bot.sandbox.rh_state import EmulatedTask, KeyAccount
from bot.sandbox.rh_views import Views
from bot.sandbox.rh_webhooks import WebhookRecord, Webhooks
from bot.sandbox.rh_workflows import default_workflows

DEFAULT_LIMITS = {"NORMAL": 1, "SHARED": 50, "EXCLUSIVE": 2, "FREE": 1}


class RunningHubEmulator:
    """RunningHub over HTTP: both API dialects, uploads, signed files, webhooks, faults."""

    def __init__(
        self, config: EmulatorConfig | None = None, workflows: list[Workflow] | None = None
    ) -> None:
        self.config = config or EmulatorConfig()
        self.catalogue = Catalogue(default_workflows() if workflows is None else workflows)
        self._core = Core(self.config, self.catalogue)
        self._views = Views(self._core)
        self._webhooks = Webhooks(self.config, self._views.webhook_body, self._core.store.new_id)
        self._core.watchers.append(self._webhooks.watch)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def build_app(self) -> web.Application:
        """The aiohttp application (routes + middleware), e.g. for aiohttp's test utilities."""
        app = web.Application(middlewares=[make_middleware(self._core)])
        app.add_routes(V1Routes(self._core, self._views, self._webhooks).routes())
        app.add_routes(V2Routes(self._core, self._views).routes())
        app.add_routes(FileRoutes(self._core, self._views).routes())
        app.add_routes(SeedRoutes(self._core, self._views).routes())
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on `host`:`port` (0 = any free port); returns the base URL."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        runner = web.AppRunner(self.build_app(), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_port = runner.addresses[0][1]
        self.base_url = self._core.base_url = f"http://{host}:{bound_port}"
        await self._webhooks.start()
        return self.base_url

    async def stop(self) -> None:
        """Stop webhooks and the server (safe to call twice)."""
        await self._webhooks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def register_key(
        self,
        key: str | None = None,
        *,
        api_type: str = "NORMAL",
        concurrent_limit: int | None = None,
        coins: int = 10_000,
    ) -> str:
        """Create an account; returns its key (32 random hex chars when `key` is None).

        api_type: NORMAL (default limit 1), SHARED (50), EXCLUSIVE (2) or FREE (every call 801).
        """
        if api_type not in DEFAULT_LIMITS:
            raise ValueError(f"unknown api_type {api_type!r}")
        key = key or secrets.token_hex(16)
        limit = DEFAULT_LIMITS[api_type] if concurrent_limit is None else concurrent_limit
        self._core.store.accounts[key] = KeyAccount(key, api_type, limit, coins)
        return key

    def account(self, key: str) -> KeyAccount:
        """The account of `key` (coins, limit, active tasks) settled to now; KeyError if unknown."""
        account = self._core.store.accounts[key]
        account.settle(self._core.now())
        return account

    def inject(self, fault: Fault) -> None:
        """Activate a fault (see `Fault`)."""
        self._core.faults.add(fault)

    def clear_faults(self) -> None:
        """Remove every active fault."""
        self._core.faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (unless `config.record_requests` is off)."""
        return self._core.requests

    def request_count(self, path_prefix: str | None = None) -> int:
        """How many requests had a path starting with `path_prefix` (all when None)."""
        counts = self._core.path_counts
        if path_prefix is None:
            return sum(counts.values())
        return sum(n for path, n in counts.items() if path.startswith(path_prefix))

    def task(self, task_id: str) -> EmulatedTask | None:
        """A task by id (inspect `.state`, `.key`, `.workflow_id`, `.overrides`, `.webhook_url`)."""
        return self._core.store.tasks.get(str(task_id))

    def set_task_outcome(
        self, task_id: str, *, failure: dict[str, Any] | None = None, finish_now: bool = False
    ) -> None:
        """Force a task's outcome: FAILED with `failure` (SUCCESS when None); optionally end now."""
        task = self._core.store.tasks[str(task_id)]
        task.failure = failure
        now = self._core.now()
        if finish_now and task.cancelled_at is None and task.ends_at > now:
            task.running_at = min(task.running_at, now)
            task.ends_at = now
            account = self._core.store.accounts[task.key]
            account.hold(task)
            account.settle(now)
            self._webhooks.watch(task)

    def webhook(self, task_id: str) -> WebhookRecord | None:
        """The webhook delivery record of a task, if it had a webhookUrl."""
        return self._webhooks.records.get(str(task_id))

    def uploaded(self, file_name: str) -> bytes | None:
        """The bytes uploaded under `file_name`, if any."""
        found = self._core.uploads.files.get(file_name)
        return None if found is None else found.data

    def add_workflow(self, workflow: Workflow) -> None:
        """Add or replace a catalogue workflow."""
        self.catalogue.add(workflow)
