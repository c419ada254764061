"""Bot, chat and answer methods of the fake server.

getMe, commands per scope and language, getChat, getChatMember, leaveChat, and the answers
to callback and inline queries (each query may be answered once, as on Telegram).
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.sandbox.tg_core import Core, Files, Handler, chat_id_of
from bot.sandbox.tg_errors import bad_request
from bot.sandbox.tg_state import JSON, ChatState

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
    "can_delete_stories", "can_pin_messages", "can_manage_topics",
)  # fmt: skip


def get_me(core: Core, params: JSON, files: Files) -> JSON:
    """getMe."""
    return dict(core.world.bot_user)


def commands_key(params: JSON) -> tuple[str, str]:
    """Where commands are stored: the scope (as canonical JSON) and the language code."""
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def set_my_commands(core: Core, params: JSON, files: Files) -> bool:
    """setMyCommands: at most 100 commands, names `[a-z0-9_]{1,32}`, descriptions 1–256."""
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH" if isinstance(commands, list) else "commands")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_NAME.fullmatch(
            str(command.get("command", ""))
        ):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    core.commands[commands_key(params)] = [dict(c) for c in commands]
    return True


def get_my_commands(core: Core, params: JSON, files: Files) -> list[JSON]:
    """getMyCommands for exactly the given scope and language."""
    return [dict(c) for c in core.commands.get(commands_key(params), [])]


def delete_my_commands(core: Core, params: JSON, files: Files) -> bool:
    """deleteMyCommands."""
    core.commands.pop(commands_key(params), None)
    return True


def get_chat(core: Core, params: JSON, files: Files) -> JSON:
    """getChat: a ChatFullInfo."""
    state = core.world.chat(chat_id_of(params))
    gifts = dict.fromkeys(
        ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription"), False
    )
    gifts["gifts_from_channels"] = False
    return {
        **state.chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": gifts,
    }


def _status(core: Core, state: ChatState, user_id: int) -> str:
    if state.creator == user_id:
        return "creator"
    if user_id in state.admins:
        return "administrator"
    bot_id = int(core.world.bot_user["id"])
    if user_id == bot_id:
        return "left" if state.bot_left else "member"
    in_chat = user_id == state.id if state.is_private else user_id in state.members
    return "member" if in_chat else "left"


def get_chat_member(core: Core, params: JSON, files: Files) -> JSON:
    """getChatMember: creator, administrator, member or left."""
    state = core.world.chat(chat_id_of(params))
    user_id = params.get("user_id")
    bot = core.world.bot_user
    user = bot if user_id == bot["id"] else core.world.users.get(int(user_id or 0))
    if user is None:
        raise bad_request("user not found")
    status = _status(core, state, int(user["id"]))
    member: JSON = {"status": status, "user": dict(user)}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
        member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
    return member


def leave_chat(core: Core, params: JSON, files: Files) -> bool:
    """leaveChat: later sends to the chat answer 403."""
    state = core.world.chat(chat_id_of(params))
    if state.is_private:
        raise bad_request("chat member status can't be changed in private chats")
    state.bot_left = True
    return True


def answer_callback_query(core: Core, params: JSON, files: Files) -> bool:
    """answerCallbackQuery: once per query; the answer is kept in `answered_callbacks`."""
    query = core.callback_queries.get(str(params.get("callback_query_id", "")))
    if query is None or query.get("answered"):
        raise bad_request(QUERY_TOO_OLD)
    if len(str(params.get("text") or "")) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query["answered"] = True
    core.answered_callbacks.append(dict(params))
    return True


def answer_inline_query(core: Core, params: JSON, files: Files) -> bool:
    """answerInlineQuery: once per query, at most 50 results with unique ids."""
    query_id = str(params.get("inline_query_id", ""))
    if query_id not in core.inline_queries or query_id in core.inline_answers:
        raise bad_request(QUERY_TOO_OLD)
    results: Any = params.get("results")
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise bad_request("can't parse results JSON object")
    if len(results) > 50:
        raise bad_request("RESULTS_TOO_MUCH")
    ids = [str(r.get("id", "")) for r in results]
    if len(set(ids)) != len(ids):
        raise bad_request("RESULT_ID_DUPLICATE")
    if any(not 1 <= len(i.encode()) <= 64 for i in ids):
        raise bad_request("RESULT_ID_INVALID")
    core.inline_answers[query_id] = dict(params)
    return True


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "leaveChat": leave_chat,
    "answerCallbackQuery": answer_callback_query,
    "answerInlineQuery": answer_inline_query,
}
