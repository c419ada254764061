"""Turn the bot's Bot API calls into chat lines for the terminal, saving files it sends.

Each rendered call becomes `Entry` items: the line to print, the text `:expect` searches
(message text, captions, button labels, toasts, inline answers) and whether media arrived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.sandbox.telegram_emulator import Call, TelegramEmulator

JSON = dict[str, Any]
MEDIA_KINDS = ("photo", "video", "animation", "document", "audio", "voice")
SENDS = {
    "sendPhoto", "sendDocument", "sendVideo", "sendAnimation", "sendAudio", "sendVoice",
}  # fmt: skip
EDITS = ("editMessageText", "editMessageCaption", "editMessageReplyMarkup")
ANSWERS = ("answerCallbackQuery", "answerInlineQuery")
SHOWN = {"sendMessage", "sendMediaGroup", "deleteMessage", *SENDS, *EDITS}
_MAGIC = ((b"\x89PNG", "png"), (b"\xff\xd8", "jpg"), (b"GIF8", "gif"), (b"RIFF", "webp"))
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Entry:
    """One piece of bot output: the printed line, searchable text, media flag, chat id."""

    line: str
    text: str = ""
    media: bool = False
    chat_id: int | None = None


def indent(head: str, text: str) -> str:
    """`head` then the first line of `text`; later lines indented under it."""
    lines = text.splitlines() or [""]
    rest = (f"    {line}".rstrip() for line in lines[1:])
    return "\n".join([f"{head} {lines[0]}".rstrip(), *rest])


def button_rows(markup: Any) -> list[list[str]]:
    """The labels of an inline keyboard, row by row."""
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or []
    return [[str(button.get("text", "")) for button in row] for row in rows]


def buttons_line(markup: Any) -> str:
    """`[ ✖️ Cancel ] [ 🔄 Refresh ]`, one line per keyboard row ('' without buttons)."""
    return "\n".join(
        "    " + " ".join(f"[ {label} ]" for label in row) for row in button_rows(markup)
    )


def _chat_of(call: Call, message: JSON | None) -> int | None:
    if message is not None and isinstance(message.get("chat"), dict):
        return int(message["chat"]["id"])
    chat = call.params.get("chat_id")
    return chat if isinstance(chat, int) else None


class Renderer:
    """Renders calls; files the bot sends are written to `out_dir` (created on first use)."""

    def __init__(self, tg: TelegramEmulator, out_dir: Path) -> None:
        self.tg = tg
        self.out_dir = out_dir
        self.saved: list[Path] = []

    def render(self, call: Call) -> list[Entry]:
        """The entries one call produces (none for calls a user would not see)."""
        if call.method == "answerCallbackQuery" and call.ok and call.params.get("text"):
            text = str(call.params["text"])
            return [
                Entry(f"[{'alert' if call.params.get('show_alert') else 'toast'}] {text}", text)
            ]
        if call.method == "answerInlineQuery" and call.ok:
            return [self._inline(call.params)]
        if call.method not in SHOWN and call.method not in ANSWERS:
            return []
        if not call.ok:
            if "not modified" in str(call.error):
                return []
            return [Entry(f"[api error] {call.method}: {call.status} {call.error}")]
        if call.method in ANSWERS:
            return []
        if call.method == "deleteMessage":
            head = f"[message #{call.params.get('message_id')} deleted]"
            return [Entry(head, chat_id=_chat_of(call, None))]
        if call.method == "sendMediaGroup":
            return [self._message(call, m, "album item") for m in call.result]
        if call.method in EDITS:
            message = call.result if isinstance(call.result, dict) else None
            return [self._message(call, message or call.params, "card", edited=True)]
        return [self._message(call, call.result, "message")]

    def _message(self, call: Call, message: JSON, label: str, *, edited: bool = False) -> Entry:
        params = call.params
        number = message.get("message_id") or params.get("message_id")
        number = number or params.get("inline_message_id") or "?"
        head = f"[{label} #{number}{' edited' if edited else ''}]"
        body = str(message.get("text") or message.get("caption") or "")
        kind = next((k for k in MEDIA_KINDS if k in message), None)
        parts: list[str] = []
        if kind is not None and not edited:
            parts.append(f"{kind}: {self._save(call, message, kind)}")
        if body:
            parts.append(body)
        line = indent(head, "\n".join(parts))
        keyboard = buttons_line(message.get("reply_markup"))
        labels = [label for row in button_rows(message.get("reply_markup")) for label in row]
        searchable = "\n".join([body, *labels])
        full = f"{line}\n{keyboard}" if keyboard else line
        return Entry(full, searchable, kind is not None and not edited, _chat_of(call, message))

    def _save(self, call: Call, message: JSON, kind: str) -> str:
        """Write the file's bytes to the out folder; return its path (or the URL sent)."""
        media = message[kind]
        obj: JSON = media[-1] if isinstance(media, list) else media
        data = self.tg.file_bytes(str(obj.get("file_id")))
        if data is None:
            urls = [url for method, url in self.tg.sent_urls if method == call.method]
            return f"sent as a URL {urls[-1]}" if urls else "(no bytes kept)"
        name = str(obj.get("file_name") or f"{kind}.{_extension(data, kind)}")
        path = self.out_dir / f"{len(self.saved) + 1:03d}-{_UNSAFE.sub('_', name)}"
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            return f"not saved ({exc.strerror or exc}: {path})"
        self.saved.append(path)
        return str(path)

    def _inline(self, params: JSON) -> Entry:
        results = params.get("results") or []
        titles = [_result_title(r) for r in results if isinstance(r, dict)]
        lines = [f"{i}. {title}" for i, title in enumerate(titles, 1)]
        head = f"[inline answer] {len(titles)} result{'' if len(titles) == 1 else 's'}"
        return Entry(indent(head, "\n" + "\n".join(lines)) if lines else head, "\n".join(titles))


def _result_title(result: JSON) -> str:
    content = result.get("input_message_content") or {}
    parts = [result.get("title"), result.get("description")]
    text = " — ".join(str(p) for p in parts if p)
    return text or str(content.get("message_text") or result.get("caption") or result.get("id"))


def _extension(data: bytes, kind: str) -> str:
    for magic, ext in _MAGIC:
        if data.startswith(magic):
            return ext
    return {"photo": "jpg", "video": "mp4", "animation": "mp4", "audio": "mp3"}.get(kind, "bin")
