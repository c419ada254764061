"""The fake server's model of the world: users, chats and each chat's messages.

Message ids are allocated per chat, shared by the bot's and the users' messages, as in
Telegram. Stored messages are the current state (edits mutate them); updates get copies.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.tg_errors import bad_request, forbidden

JSON = dict[str, Any]


@dataclass
class ChatState:
    """One chat: its `Chat` object, messages by id, membership and status flags."""

    chat: JSON
    messages: dict[int, JSON] = field(default_factory=dict)
    next_message_id: int = 1
    admins: set[int] = field(default_factory=set)
    creator: int | None = None
    members: set[int] = field(default_factory=set)
    migrated_to: int | None = None
    blocked: bool = False
    bot_left: bool = False

    @property
    def id(self) -> int:
        """The chat id."""
        return int(self.chat["id"])

    @property
    def is_private(self) -> bool:
        """Whether this is a private chat with one user."""
        return bool(self.chat["type"] == "private")


class World:
    """Users and chats; builds and stores messages."""

    def __init__(self, bot_user: JSON, *, wall_clock: Callable[[], float] = time.time) -> None:
        self.bot_user = bot_user
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, ChatState] = {}
        self._wall_clock = wall_clock

    def now(self) -> int:
        """Current Unix time for `date` fields."""
        return int(self._wall_clock())

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = "en",
        username: str | None = None,
    ) -> JSON:
        """Create the user, or update and return the known one."""
        user = self.users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        )
        if first_name is not None:
            user["first_name"] = first_name
        if language_code is not None:
            user["language_code"] = language_code
        if username is not None:
            user["username"] = username
        return user

    def private_chat(self, user_id: int) -> ChatState:
        """Return the private chat with a user, creating the user and chat if needed."""
        if user_id not in self.chats:
            user = self.users.get(user_id) or self.user(user_id)
            chat: JSON = {"id": user_id, "type": "private", "first_name": user["first_name"]}
            if "username" in user:
                chat["username"] = user["username"]
            self.chats[user_id] = ChatState(chat=chat, members={user_id})
        return self.chats[user_id]

    def group_chat(
        self, chat_id: int, title: str, *, supergroup: bool = True, forum: bool = False
    ) -> ChatState:
        """Create (or return) a group or supergroup chat the bot is a member of."""
        if chat_id not in self.chats:
            chat: JSON = {"id": chat_id, "type": "supergroup" if supergroup else "group"}
            chat["title"] = title
            if forum:
                chat["is_forum"] = True
            self.chats[chat_id] = ChatState(chat=chat)
        return self.chats[chat_id]

    def chat(self, chat_id: int | str) -> ChatState:
        """Return a chat by id or `@username`, or raise `chat not found`."""
        if isinstance(chat_id, str):
            for state in self.chats.values():
                if f"@{state.chat.get('username', '')}".lower() == chat_id.lower():
                    return state
            raise bad_request("chat not found")
        found = self.chats.get(chat_id)
        if found is None:
            raise bad_request("chat not found")
        return found

    def target(self, chat_id: int | str) -> ChatState:
        """Return a chat the bot may write to, or raise Telegram's error for it."""
        if isinstance(chat_id, int) and chat_id in self.users and chat_id not in self.chats:
            raise forbidden("bot can't initiate conversation with a user")
        state = self.chat(chat_id)
        if state.migrated_to is not None:
            raise bad_request(
                "group chat was upgraded to a supergroup chat", migrate_to_chat_id=state.migrated_to
            )
        if state.blocked:
            raise forbidden("bot was blocked by the user")
        if state.bot_left:
            kind = state.chat["type"]
            raise forbidden(f"bot is not a member of the {kind} chat")
        return state

    def add_message(self, state: ChatState, sender: JSON, fields: JSON) -> JSON:
        """Store a new message in a chat, allocating its id, and return it."""
        message: JSON = {
            "message_id": state.next_message_id,
            "from": sender,
            "chat": state.chat,
            "date": self.now(),
        }
        message.update(fields)
        state.messages[state.next_message_id] = message
        state.next_message_id += 1
        if not sender.get("is_bot"):
            state.members.add(int(sender["id"]))
        return message

    def message(self, state: ChatState, message_id: int, missing: str) -> JSON:
        """Return a stored message, or raise `400 Bad Request: <missing>`."""
        found = state.messages.get(message_id)
        if found is None:
            raise bad_request(missing)
        return found

    def is_bot_message(self, message: JSON) -> bool:
        """Whether the bot sent this message."""
        return bool(message.get("from", {}).get("id") == self.bot_user["id"])


def snapshot(message: JSON) -> JSON:
    """Deep-copy a message so later edits don't change an update already queued."""
    copied: JSON = json.loads(json.dumps(message))  # JSON-only data; faster than deepcopy
    return copied


def reply_copy(message: JSON) -> JSON:
    """The replied-to message as embedded in `reply_to_message` (one level deep)."""
    embedded = snapshot(message)
    embedded.pop("reply_to_message", None)
    return embedded
