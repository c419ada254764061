"""Read-only views of the fake server's state, mixed into `TelegramEmulator`."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from bot.sandbox.tg_calls import Call
from bot.sandbox.tg_state import JSON, snapshot

if TYPE_CHECKING:
    from bot.sandbox.tg_core import Core
    from bot.sandbox.tg_server import ApiServer
    from bot.sandbox.tg_webhook import WebhookDelivery


class EmulatorView:
    """What the bot did: calls, chat contents, answers, uploads, URLs, floods."""

    core: Core
    server: ApiServer
    _lock: threading.RLock

    @property
    def calls(self) -> list[Call]:
        """Every API call in the order answered (including failed ones)."""
        return self.server.log.calls

    def calls_to(self, method: str) -> list[Call]:
        """Every call of one method."""
        return self.server.log.calls_to(method)

    def messages(self, chat_id: int) -> list[JSON]:
        """Current state of a chat's messages (after edits and deletions), oldest first."""
        with self._lock:
            state = self.core.world.chat(chat_id)
            return [snapshot(m) for m in state.messages.values()]

    def bot_messages(self, chat_id: int) -> list[JSON]:
        """Current messages the bot sent to a chat, oldest first."""
        return [
            m for m in self.messages(chat_id) if m["from"]["id"] == self.core.world.bot_user["id"]
        ]

    def latest_bot_message(self, chat_id: int) -> JSON | None:
        """The bot's newest message still in the chat, if any."""
        sent = self.bot_messages(chat_id)
        return sent[-1] if sent else None

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """One message's current state, if it exists."""
        with self._lock:
            found = self.core.world.chat(chat_id).messages.get(message_id)
            return snapshot(found) if found is not None else None

    @property
    def answered_callbacks(self) -> list[JSON]:
        """Parameters of every accepted answerCallbackQuery."""
        return list(self.core.answered_callbacks)

    @property
    def inline_answers(self) -> dict[str, JSON]:
        """Parameters of every accepted answerInlineQuery, by inline query id."""
        return dict(self.core.inline_answers)

    def inline_message(self, inline_message_id: str) -> JSON | None:
        """Current state of a message sent via inline mode (chosen result with a keyboard)."""
        found = self.core.inline_messages.get(inline_message_id)
        return snapshot(found) if found is not None else None

    @property
    def sent_urls(self) -> list[tuple[str, str]]:
        """(method, url) for every file the bot passed as a URL instead of uploading."""
        return list(self.core.sent_urls)

    def file_bytes(self, file_id: str) -> bytes | None:
        """The bytes of a stored file (None for URLs or with keep_file_bytes=False)."""
        stored = self.core.files.get(file_id)
        return stored.data if stored is not None else None

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot."""
        return self.core.updates.pending

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook POST attempt with its HTTP status."""
        return list(self.core.webhook.deliveries)

    @property
    def webhook_info(self) -> dict[str, Any]:
        """What getWebhookInfo would answer."""
        return self.core.webhook.info()

    @property
    def flood_rejections(self) -> int:
        """How many calls the flood limits answered with 429."""
        flood = self.server.flood
        return flood.rejections if flood is not None else 0
