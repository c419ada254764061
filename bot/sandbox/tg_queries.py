"""Users' side, continued: button presses, inline queries, chat migration and blocking."""

from __future__ import annotations

from typing import Any

from bot.sandbox.tg_core import Core
from bot.sandbox.tg_state import JSON, ChatState, snapshot


def anonymous_admin() -> JSON:
    """The user Telegram shows as the sender of service messages by anonymous admins."""
    return {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    }


def _query_id(core: Core) -> str:
    return str(next(core.query_ids))


def _buttons(message: JSON) -> list[JSON]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def press_button(core: Core, user_id: int, chat_id: int, message_id: int, button: str) -> JSON:
    """Press an inline button (matched by its text or callback_data); queue the callback."""
    state = core.world.chat(chat_id)
    message = state.messages.get(message_id)
    if message is None:
        raise ValueError(f"no message {message_id} in chat {chat_id}")
    buttons = _buttons(message)
    found = next((b for b in buttons if b.get("text") == button), None)
    found = found or next((b for b in buttons if b.get("callback_data") == button), None)
    if found is None or "callback_data" not in found:
        labels = [b.get("text") for b in buttons]
        raise ValueError(f"no callback button {button!r} on message {message_id}: {labels}")
    query: JSON = {
        "id": _query_id(core),
        "from": core.world.users.get(user_id) or core.world.user(user_id),
        "chat_instance": str(abs(chat_id) * 2654435761 % 2**63),
        "message": snapshot(message),
        "data": found["callback_data"],
    }
    core.callback_queries[query["id"]] = {"answered": False}
    core.updates.push("callback_query", snapshot(query))
    return query


def inline_query(
    core: Core, user_id: int, query: str, chat_type: str | None = "private", offset: str = ""
) -> JSON:
    """Type `@bot query` in a chat; queue the `inline_query` update."""
    payload: JSON = {
        "id": _query_id(core),
        "from": core.world.users.get(user_id) or core.world.user(user_id),
        "query": query,
        "offset": offset,
    }
    if chat_type is not None:
        payload["chat_type"] = chat_type
    core.inline_queries[payload["id"]] = payload
    core.updates.push("inline_query", snapshot(payload))
    return payload


def choose_inline_result(core: Core, user_id: int, query_id: str, result_id: str) -> JSON:
    """Pick one answered inline result; queue `chosen_inline_result`.

    A result with an inline keyboard gets an `inline_message_id` the bot can edit later.
    """
    answer = core.inline_answers.get(query_id)
    if answer is None:
        raise ValueError(f"inline query {query_id} was not answered")
    result = next((r for r in answer["results"] if str(r.get("id")) == result_id), None)
    if result is None:
        raise ValueError(f"no result {result_id!r} in the answer to {query_id}")
    chosen: JSON = {
        "result_id": result_id,
        "from": core.world.users.get(user_id) or core.world.user(user_id),
        "query": core.inline_queries[query_id]["query"],
    }
    if result.get("reply_markup"):
        inline_id = f"IM{_query_id(core)}"
        content: Any = result.get("input_message_content") or {}
        message: JSON = {"reply_markup": result["reply_markup"]}
        if "message_text" in content:
            message["text"] = content["message_text"]
        else:
            message["caption"] = result.get("caption") or ""
        core.inline_messages[inline_id] = message
        chosen["inline_message_id"] = inline_id
    core.updates.push("chosen_inline_result", snapshot(chosen))
    return chosen


def migrate_group(core: Core, old_chat_id: int, new_chat_id: int) -> ChatState:
    """Upgrade a group to a supergroup: the old id now answers 400 with migrate_to_chat_id."""
    world = core.world
    old = world.chat(old_chat_id)
    new = world.group_chat(new_chat_id, str(old.chat.get("title", "")), supergroup=True)
    new.admins, new.creator, new.members = set(old.admins), old.creator, set(old.members)
    old.migrated_to = new_chat_id
    note_old = world.add_message(old, anonymous_admin(), {"migrate_to_chat_id": new_chat_id})
    note_new = world.add_message(new, anonymous_admin(), {"migrate_from_chat_id": old_chat_id})
    core.updates.push("message", snapshot(note_old))
    core.updates.push("message", snapshot(note_new))
    return new


def block_bot(core: Core, user_id: int, *, blocked: bool = True) -> None:
    """The user blocks (or unblocks) the bot; queue the `my_chat_member` update."""
    state = core.world.private_chat(user_id)
    if state.blocked == blocked:
        return
    state.blocked = blocked
    bot = core.world.bot_user
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    old_member: JSON = {"status": old, "user": bot}
    new_member: JSON = {"status": new, "user": bot}
    for member in (old_member, new_member):
        if member["status"] == "kicked":
            member["until_date"] = 0
    update: JSON = {
        "chat": state.chat,
        "from": core.world.users[user_id],
        "date": core.world.now(),
        "old_chat_member": old_member,
        "new_chat_member": new_member,
    }
    core.updates.push("my_chat_member", snapshot(update))
