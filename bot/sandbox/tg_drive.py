"""Users' actions on the fake server, mixed into `TelegramEmulator`.

Each action changes the chat model and queues the update Telegram would send the bot; it may
be called from another thread than the server's event loop.
"""

from __future__ import annotations

import threading

from bot.sandbox.tg_core import Core
from bot.sandbox.tg_queries import block_bot, choose_inline_result, inline_query, migrate_group
from bot.sandbox.tg_queries import press_button as press
from bot.sandbox.tg_state import JSON, snapshot
from bot.sandbox.tg_users import Attachment, UserMedia, user_edit, user_message


class EmulatorDriver:
    """Users write, edit, press buttons, query inline, block the bot; groups migrate."""

    core: Core
    group_privacy: bool
    _lock: threading.RLock

    def send_message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
        photo: bytes | None = None,
        document: Attachment | None = None,
        video: Attachment | None = None,
        audio: Attachment | None = None,
        caption: str | None = None,
    ) -> JSON:
        """A user writes (text, or media with a caption); return the stored message."""
        media = None
        if photo is not None or document or video or audio:
            media = UserMedia(photo=photo, document=document, video=video, audio=audio)
        with self._lock:
            return user_message(
                self.core, user_id, text, chat_id=chat_id, reply_to=reply_to,
                thread_id=thread_id, media=media, caption=caption, privacy=self.group_privacy,
            )  # fmt: skip

    def edit_message(self, user_id: int, chat_id: int, message_id: int, new_text: str) -> JSON:
        """A user edits their message (an `edited_message` update)."""
        with self._lock:
            return user_edit(
                self.core, user_id, chat_id, message_id, new_text, privacy=self.group_privacy
            )

    def press_button(
        self, user_id: int, chat_id: int, message_id: int, button_text_or_data: str
    ) -> JSON:
        """A user presses an inline button; return the `callback_query`."""
        with self._lock:
            return snapshot(press(self.core, user_id, chat_id, message_id, button_text_or_data))

    def inline_query(
        self, user_id: int, query: str, chat_type: str | None = "private", offset: str = ""
    ) -> JSON:
        """A user types `@bot query`; return the `inline_query`."""
        with self._lock:
            return snapshot(inline_query(self.core, user_id, query, chat_type, offset))

    def choose_inline_result(self, user_id: int, query_id: str, result_id: str) -> JSON:
        """A user picks an answered inline result; return the `chosen_inline_result`."""
        with self._lock:
            return choose_inline_result(self.core, user_id, query_id, result_id)

    def migrate_group(self, old_chat_id: int, new_chat_id: int) -> None:
        """Upgrade a group: later calls with the old id answer 400 migrate_to_chat_id."""
        with self._lock:
            migrate_group(self.core, old_chat_id, new_chat_id)

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: sends to the private chat answer 403 Forbidden."""
        with self._lock:
            block_bot(self.core, user_id)

    def unblock_bot(self, user_id: int) -> None:
        """The user unblocks the bot."""
        with self._lock:
            block_bot(self.core, user_id, blocked=False)
