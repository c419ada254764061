"""Text message methods of the fake server: send, edit, delete, copy, chat actions.

Edits follow Telegram's rules: only the bot's own messages, `message is not modified` when
neither content nor inline keyboard changes, and an edit without `reply_markup` removes the
keyboard. Deleting other people's messages in groups needs the bot to be an administrator.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.tg_core import (
    Core,
    Files,
    Handler,
    chat_id_of,
    check_caption,
    check_text,
    inline_markup,
    send_bot_message,
)
from bot.sandbox.tg_errors import bad_request
from bot.sandbox.tg_state import JSON, snapshot

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
MEDIA_KEYS = ("photo", "video", "animation", "audio", "document", "voice")
COPIED_KEYS = ("text", "entities", "caption", "caption_entities", *MEDIA_KEYS)


def send_message(core: Core, params: JSON, files: Files) -> JSON:
    """sendMessage."""
    text, entities = check_text(params)
    fields: JSON = {"text": text}
    if entities:
        fields["entities"] = entities
    return send_bot_message(core, params, fields)


def _editable(core: Core, params: JSON) -> tuple[JSON, bool]:
    """The message an edit targets, and whether it is an inline message."""
    inline_id = params.get("inline_message_id")
    if inline_id:
        found = core.inline_messages.get(str(inline_id))
        if found is None:
            raise bad_request("MESSAGE_ID_INVALID")
        return found, True
    state = core.world.target(chat_id_of(params))
    message_id = params.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("message identifier is not specified")
    message = core.world.message(state, message_id, "message to edit not found")
    if not core.world.is_bot_message(message):
        raise bad_request("message can't be edited")
    return message, False


def _apply_edit(core: Core, message: JSON, content: JSON, markup: JSON | None) -> None:
    """Change `message` to `content` + `markup`, or raise `message is not modified`."""
    same = all((message.get(k) or None) == (v or None) for k, v in content.items())
    if same and (message.get("reply_markup") or None) == markup:
        raise bad_request(NOT_MODIFIED)
    for key, value in [*content.items(), ("reply_markup", markup)]:
        if value:
            message[key] = value
        else:
            message.pop(key, None)
    message["edit_date"] = core.world.now()


def _edit_result(message: JSON, inline: bool) -> Any:
    return True if inline else snapshot(message)


def edit_message_text(core: Core, params: JSON, files: Files) -> Any:
    """editMessageText."""
    text, entities = check_text(params)
    markup = inline_markup(params)
    message, inline = _editable(core, params)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    _apply_edit(core, message, {"text": text, "entities": entities}, markup)
    return _edit_result(message, inline)


def edit_message_caption(core: Core, params: JSON, files: Files) -> Any:
    """editMessageCaption."""
    caption, entities = check_caption(params)
    markup = inline_markup(params)
    message, inline = _editable(core, params)
    if "text" in message:
        raise bad_request("there is no caption in the message to edit")
    _apply_edit(core, message, {"caption": caption, "caption_entities": entities}, markup)
    return _edit_result(message, inline)


def edit_message_reply_markup(core: Core, params: JSON, files: Files) -> Any:
    """editMessageReplyMarkup."""
    markup = inline_markup(params)
    message, inline = _editable(core, params)
    _apply_edit(core, message, {}, markup)
    return _edit_result(message, inline)


def delete_message(core: Core, params: JSON, files: Files) -> bool:
    """deleteMessage: own messages anywhere, others' in private chats or as an admin."""
    state = core.world.target(chat_id_of(params))
    message_id = params.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("message identifier is not specified")
    message = core.world.message(state, message_id, "message to delete not found")
    bot_id = int(core.world.bot_user["id"])
    own = core.world.is_bot_message(message)
    if not (own or state.is_private or bot_id in state.admins or state.creator == bot_id):
        raise bad_request("message can't be deleted")
    del state.messages[message_id]
    return True


def copy_message(core: Core, params: JSON, files: Files) -> JSON:
    """copyMessage: the source's content sent anew by the bot; answers a MessageId."""
    source_chat = core.world.chat(params.get("from_chat_id", ""))
    source_id = params.get("message_id")
    if not isinstance(source_id, int):
        raise bad_request("message identifier is not specified")
    source = core.world.message(source_chat, source_id, "message to copy not found")
    fields: JSON = {k: snapshot({"v": source[k]})["v"] for k in COPIED_KEYS if k in source}
    if "caption" in params:
        caption, entities = check_caption(params)
        fields.pop("caption_entities", None)
        fields.update({"caption": caption, "caption_entities": entities})
        fields = {k: v for k, v in fields.items() if v}
    sent = send_bot_message(core, params, fields)
    return {"message_id": sent["message_id"]}


def send_chat_action(core: Core, params: JSON, files: Files) -> bool:
    """sendChatAction."""
    core.world.target(chat_id_of(params))
    if not params.get("action"):
        raise bad_request("action is empty")
    return True


METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "copyMessage": copy_message,
    "sendChatAction": send_chat_action,
}
