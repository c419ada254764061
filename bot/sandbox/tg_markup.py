"""Text formatting as Telegram applies it: HTML parse mode, UTF-16 lengths, command entities.

`parse_html` turns `parse_mode=HTML` text into plain text plus entities and rejects what
Telegram rejects (unknown tags, unbalanced tags, a bare `<`), so bot bugs show up offline.
Markdown modes are not parsed: their text is stored as sent.
"""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.tg_errors import ApiError, bad_request

_SIMPLE_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "a": "text_link", "span": "spoiler", "tg-emoji": "custom_emoji",
}  # fmt: skip
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*)?)>")
_ATTR = re.compile(r"""([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);")
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")


def utf16_len(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, as Telegram counts offsets."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """Return `bot_command` entities for every `/cmd` or `/cmd@bot` that starts a word."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in _COMMAND.finditer(text)
    ]


def format_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]] | None]:
    """Apply a parse mode: HTML is parsed into entities, other modes keep the raw text."""
    if parse_mode is not None and parse_mode.upper() == "HTML":
        plain, entities = parse_html(text)
        return plain, entities or None
    return text, None


def _entity_error(text: str, pos: int, detail: str) -> ApiError:
    offset = len(text[:pos].encode("utf-8"))
    return bad_request(f"can't parse entities: {detail} at byte offset {offset}")


def _unescape(chunk: str) -> str:
    def replace(m: re.Match[str]) -> str:
        name = m[1]
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _NAMED.get(name, m[0])

    return _ENTITY.sub(replace, chunk)


def _start_entity(name: str, attrs: str, offset: int, text: str, pos: int) -> dict[str, Any]:
    values = {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(attrs)}
    kind = _SIMPLE_TAGS.get(name)
    if kind is None or (name == "span" and values.get("class") != "tg-spoiler"):
        raise _entity_error(text, pos, f'Unsupported start tag "{name}"')
    entity: dict[str, Any] = {"type": kind, "offset": offset}
    if name == "a":
        url = _unescape(values.get("href", ""))
        if url.startswith("tg://user?id="):
            entity.update(type="text_mention", user={"id": int(url.split("=", 1)[1] or 0)})
        else:
            entity["url"] = url
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = values.get("emoji-id", "")
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "code" and values.get("class", "").startswith("language-"):
        entity["language"] = values["class"].removeprefix("language-")
    return entity


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram's HTML subset into plain text and entities (UTF-16 offsets)."""
    out: list[str] = []
    offset = 0
    stack: list[tuple[str, dict[str, Any]]] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    while pos < len(text):
        lt = text.find("<", pos)
        chunk = _unescape(text[pos : lt if lt >= 0 else len(text)])
        out.append(chunk)
        offset += utf16_len(chunk)
        if lt < 0:
            break
        m = _TAG.match(text, lt)
        if m is None:
            raise _entity_error(text, lt, 'Unsupported start tag ""')
        closing, name = m[1] == "/", m[2].lower()
        if not closing:
            stack.append((name, _start_entity(name, m[3], offset, text, lt)))
        elif not stack or stack[-1][0] != name:
            expected = f'"</{stack[-1][0]}>"' if stack else "nothing"
            detail = f'Unmatched end tag, expected {expected}, found "</{name}>"'
            raise _entity_error(text, lt, detail)
        else:
            entity = stack.pop()[1]
            entity["length"] = offset - entity["offset"]
            _merge_pre_code(entity, entities)
        pos = m.end()
    if stack:
        tag = stack[-1][0]
        raise bad_request(f"can't parse entities: Can't find end tag corresponding to \"{tag}\"")
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), [e for e in entities if e["length"] > 0]


def _merge_pre_code(entity: dict[str, Any], entities: list[dict[str, Any]]) -> None:
    """`<pre><code class="language-x">` becomes one `pre` entity with a language."""
    if entity["type"] == "pre" and entities and entities[-1]["type"] == "code":
        inner = entities[-1]
        if (inner["offset"], inner["length"]) == (entity["offset"], entity["length"]):
            entities.pop()
            if "language" in inner:
                entity["language"] = inner["language"]
    entities.append(entity)
