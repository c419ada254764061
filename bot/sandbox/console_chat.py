"""The terminal user's side of the sandbox chat: who speaks where, and what the bot said.

`Chat` acts as a Telegram user on the fake server (messages, photos, button presses, inline
queries) and runs a background task that prints the bot's calls as they arrive, keeping every
rendered `Entry` so `:expect` can search the output since the user's last action.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from bot.sandbox.console_render import Entry, Renderer, button_rows
from bot.sandbox.console_session import Sandbox
from bot.sandbox.telegram_emulator import Call
from bot.sandbox.tg_errors import ApiError

DEFAULT_USER = 1001
GROUP_ID = -1001000000001
GROUP_TITLE = "Sandbox group"
POLL = 0.05  # seconds between looks at the fake server's call log


class ExpectationError(Exception):
    """A script's expectation was not met; the message names it and shows what was seen."""


class Chat:
    """One terminal user driving the fake Telegram; prints the bot's output as it arrives."""

    def __init__(self, sandbox: Sandbox, out: Callable[[str], None]) -> None:
        self.sandbox = sandbox
        self.tg = sandbox.tg
        self.out = out
        self.renderer = Renderer(sandbox.tg, sandbox.options.out_dir)
        self.entries: list[Entry] = []
        self.mark = 0
        self.user_id = DEFAULT_USER
        self.chat_id = DEFAULT_USER
        self.reply_to: int | None = None
        self.group_created = False
        self.known_users = {DEFAULT_USER}
        self._seen = 0
        self._watcher: asyncio.Task[None] | None = None
        self.tg.user(DEFAULT_USER, "Sandbox user", "en")

    # --- watching the bot ------------------------------------------------------------
    def start(self) -> None:
        """Start printing the bot's output in the background."""
        self._watcher = asyncio.create_task(self._watch(), name="sandbox-watcher")

    async def stop(self) -> None:
        """Stop the background printer after showing whatever is left."""
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        self.flush()

    async def _watch(self) -> None:
        # Polling, not `wait_for`: on Python 3.11 asyncio.wait_for can swallow a cancellation.
        while True:
            self.flush()
            await asyncio.sleep(POLL)

    def flush(self) -> None:
        """Render every call not shown yet (re-raising what broke the background printer)."""
        watcher = self._watcher
        if watcher is not None and watcher.done() and not watcher.cancelled():
            failure = watcher.exception()
            if failure is not None:
                raise failure
        calls = self.tg.calls
        while self._seen < len(calls):
            call = calls[self._seen]
            self._seen += 1
            for entry in self.renderer.render(call):
                self.entries.append(entry)
                if not self.sandbox.options.quiet:
                    where = entry.chat_id
                    prefix = "" if where in (None, self.chat_id) else f"(chat {where}) "
                    self.out(prefix + entry.line)

    async def settle(self, quiet_for: float = 0.3, limit: float = 3.0) -> None:
        """Wait (at most `limit` s) until the bot took every update and is quiet for a while."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while loop.time() < deadline:
            before = len(self.tg.calls)
            await asyncio.sleep(quiet_for)
            if len(self.tg.calls) == before and not self.tg.pending_updates:
                break
        self.flush()

    def since_mark(self) -> list[Entry]:
        """The bot's output since the user's last action."""
        return self.entries[self.mark :]

    async def wait_output(self, test: Callable[[list[Entry]], bool], what: str) -> None:
        """Wait until `test` holds for the output since the last action, or fail naming `what`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.sandbox.options.expect_timeout
        while not test(self.since_mark()):
            remaining = deadline - loop.time()
            if remaining <= 0:
                seen = "\n".join(e.line for e in self.since_mark()) or "(nothing)"
                raise ExpectationError(f"expected {what}; the bot's output since:\n{seen}")
            await asyncio.sleep(min(remaining, POLL))
            self.flush()

    # --- acting as the user ----------------------------------------------------------
    def _acted(self) -> None:
        self.flush()
        self.mark = len(self.entries)

    def _target(self) -> int | None:
        return None if self.chat_id == self.user_id else self.chat_id

    def say(self, text: str) -> int:
        """Send a text message (replying to the pending photo, if any); return its id."""
        self._acted()
        reply_to, self.reply_to = self.reply_to, None
        sent = self.tg.send_message(self.user_id, text, chat_id=self._target(), reply_to=reply_to)
        return int(sent["message_id"])

    def send_photo(self, path: Path, caption: str | None, *, keep_for_reply: bool) -> int:
        """Send a local image as a photo; with `keep_for_reply` the next message replies to it."""
        data = path.read_bytes()
        self._acted()
        reply_to, self.reply_to = self.reply_to, None
        sent = self.tg.send_message(
            self.user_id, photo=data, caption=caption, chat_id=self._target(), reply_to=reply_to
        )
        message_id = int(sent["message_id"])
        if keep_for_reply:
            self.reply_to = message_id
        return message_id

    def press(self, text: str) -> str:
        """Press the button whose label contains `text` on the bot's latest message with buttons."""
        self.flush()
        try:
            messages = self.tg.bot_messages(self.chat_id)
        except ApiError:  # nobody wrote in this chat yet
            messages = []
        for message in reversed(messages):
            labels = [label for row in button_rows(message.get("reply_markup")) for label in row]
            if not labels:
                continue
            label = next((b for b in labels if text.casefold() in b.casefold()), None)
            if label is None:
                shown = " ".join(f"[ {b} ]" for b in labels)
                raise ValueError(
                    f"no button containing {text!r} on message #{message['message_id']}: {shown}"
                )
            self._acted()
            self.tg.press_button(self.user_id, self.chat_id, int(message["message_id"]), label)
            return label
        raise ValueError("no message from the bot with buttons in this chat")

    async def inline(self, query: str) -> bool:
        """Send an inline query; return whether the bot answered it in time."""
        self._acted()
        since = len(self.tg.calls)
        chat_type = "private" if self._target() is None else "supergroup"
        query_id = str(self.tg.inline_query(self.user_id, query, chat_type)["id"])
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.sandbox.options.inline_timeout
        while loop.time() < deadline:
            if any(_answers(call, query_id) for call in self.tg.calls[since:]):
                self.flush()
                return True
            await asyncio.sleep(POLL)
        return False

    # --- switching -------------------------------------------------------------------
    def switch_user(self, user_id: int, language: str | None) -> None:
        """Become another user (in their private chat, or still in the group)."""
        if language is not None or user_id not in self.known_users:
            self.tg.user(user_id, language_code=language or "en")
            self.known_users.add(user_id)
        in_private = self.chat_id == self.user_id
        self.user_id = user_id
        self.reply_to = None
        if in_private:
            self.chat_id = user_id

    def switch_chat(self, kind: str) -> bool:
        """Go to the private chat or the sandbox supergroup; return True if the group is new."""
        self.reply_to = None
        if kind == "private":
            self.chat_id = self.user_id
            return False
        created = not self.group_created
        if created:
            self.tg.group_chat(GROUP_ID, GROUP_TITLE, supergroup=True)
            self.tg.set_admins(GROUP_ID, [self.user_id], creator=self.user_id)
            self.group_created = True
        self.chat_id = GROUP_ID
        return created


def _answers(call: Call, query_id: str) -> bool:
    answered = call.method == "answerInlineQuery" and call.ok
    return answered and str(call.params.get("inline_query_id")) == query_id
