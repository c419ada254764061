"""Wiring, the second half of the composition root: repositories → services → poller.

Kept apart from `bot.app` (which owns the lifecycle) so each stays small; together they are
the only modules that construct services or import `handlers`.
"""

from __future__ import annotations

import asyncio
import time

from telegram import Bot

from bot.config import Settings
from bot.context import Limits, Services
from bot.poller import Poller
from bot.runninghub.client import RunningHubClient
from bot.services.accounts import Accounts
from bot.services.chats import Chats
from bot.services.delivery import Deliveries
from bot.services.presets import PresetBook
from bot.services.runs import Runs
from bot.services.sharing import Sharing
from bot.services.submission import SubmitPolicy, Submitter
from bot.services.tracking import PollPolicy, Tracker
from bot.services.workflows import WorkflowSchemas
from handlers.notifications import TelegramNotifier
from handlers.sending import Sender
from storage.crypto import KeyCipher
from storage.database import Database
from storage.keys import ApiKeys
from storage.outputs import Outputs
from storage.presets import ChatSettings, Presets
from storage.tasks import Tasks
from storage.users import Users


def build_services(
    settings: Settings, db: Database, client: RunningHubClient, bot: Bot, idle_wait: float
) -> tuple[Services, Poller]:
    """Build every service and the poller over one database and one RunningHub client."""
    clock = time.time
    webhooks = settings.runninghub_webhook_url is not None
    slow = settings.runninghub_webhook_poll_interval
    first_poll = slow if webhooks else settings.poll_initial_interval
    tasks, outputs = Tasks(db, clock), Outputs(db, clock)
    keys = ApiKeys(db, KeyCipher(settings.master_keys()), clock)
    chat_settings = ChatSettings(db, clock)
    wake = asyncio.Event()
    accounts = Accounts(Users(db, clock), keys, client)
    preset_store = Presets(db, clock)
    presets = PresetBook(preset_store)
    chats = Chats(chat_settings, tasks)
    tracker = Tracker(
        tasks,
        outputs,
        keys,
        client,
        PollPolicy(
            initial=first_poll,
            maximum=slow if webhooks else settings.poll_max_interval,
            deadline=settings.task_deadline_seconds,
        ),
    )
    runs = Runs(
        tasks,
        accounts,
        WorkflowSchemas(client),
        presets,
        chat_settings,
        client,
        tracker,
        wake=wake.set,
    )
    deliveries = Deliveries(tasks, outputs, client, max_bytes=settings.max_output_bytes)
    notifier = TelegramNotifier(
        bot,
        accounts,
        runs,
        Sender(bot, deliveries, chats, runs),
        edit_interval=settings.status_edit_interval,
        group_edit_interval=settings.group_status_edit_interval,
    )
    submitter = Submitter(
        tasks,
        keys,
        client,
        SubmitPolicy(
            capacity_initial=settings.capacity_retry_initial,
            capacity_max=settings.capacity_retry_max,
            poll_initial=first_poll,
            webhook_url=settings.runninghub_webhook_url,
        ),
    )
    poller = Poller(
        tasks,
        submitter,
        tracker,
        notifier,
        max_active_per_user=settings.max_active_tasks_per_user,
        concurrency=settings.poll_concurrency,
        idle_wait=idle_wait,
        event=wake,
        catch_up_on_start=webhooks,
    )
    limits = Limits(
        allowed_user_ids=frozenset(settings.bot_allowed_user_ids),
        allowed_chat_ids=frozenset(settings.bot_allowed_chat_ids),
    )
    sharing = Sharing(tasks, outputs, preset_store)
    services = Services(accounts, runs, presets, chats, deliveries, notifier, sharing, limits)
    return services, poller
