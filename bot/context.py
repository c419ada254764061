"""The typed handler context: handlers reach every service through `context.services`.

This is the one place that touches `bot_data`; `bot.app` stores the `Services` there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services.accounts import Accounts
from bot.services.chats import Chats
from bot.services.delivery import Deliveries
from bot.services.presets import PresetBook
from bot.services.runs import Runs
from bot.services.sharing import Sharing
from bot.services.types import Task

SERVICES_KEY = "services"


class Cards(Protocol):
    """Shows a task's status card (sends it the first time, edits it afterwards)."""

    async def show(self, task: Task, *, force: bool = False) -> None:
        """Bring the task's card up to date (`force`: even if only the elapsed time changed)."""


@dataclass(frozen=True)
class Limits:
    """Operator policy the handlers need."""

    allowed_user_ids: frozenset[int] = frozenset()
    allowed_chat_ids: frozenset[int] = frozenset()
    max_media_bytes: int = 20 * 1024 * 1024


@dataclass
class Services:
    """Everything handlers may call."""

    accounts: Accounts
    runs: Runs
    presets: PresetBook
    chats: Chats
    deliveries: Deliveries
    cards: Cards
    sharing: Sharing
    limits: Limits


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with typed access to the services."""

    @property
    def services(self) -> Services:
        """The services built by the composition root."""
        services = self.bot_data[SERVICES_KEY]
        assert isinstance(services, Services)
        return services


BotApplication = Application[
    ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
