"""Recognise the workflow a command names: a numeric id, a RunningHub link or a preset name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import parse_qsl, urlsplit

from bot.commands.errors import CommandError, shorten

_DIGITS: Final = re.compile(r"[0-9]+")
_ID: Final = re.compile(r"[0-9]{15,20}")
_ID_IN_TEXT: Final = re.compile(r"(?<![0-9])[0-9]{15,20}(?![0-9])")
_PRESET: Final = re.compile(r"[A-Za-z0-9_-]{1,32}")
_URL_HINT: Final = re.compile(r"[/.?]")
_HOSTS: Final = frozenset(
    {"runninghub.ai", "www.runninghub.ai", "runninghub.cn", "www.runninghub.cn"}
)
_ID_QUERY_KEYS: Final = frozenset({"workflowid", "id"})


@dataclass(frozen=True, slots=True)
class WorkflowRef:
    """A workflow id (15–20 digits) or a lower-case preset name."""

    kind: Literal["id", "preset"]
    value: str


def is_preset_name(text: str) -> bool:
    """Tell whether ``text`` is a valid preset name (before lower-casing)."""
    return _PRESET.fullmatch(text) is not None and _DIGITS.fullmatch(text) is None


def parse_workflow(text: str, *, usage: str) -> WorkflowRef:
    """Turn the first word of a command into a WorkflowRef or raise CommandError."""
    if _DIGITS.fullmatch(text):
        if _ID.fullmatch(text):
            return WorkflowRef("id", text)
        raise CommandError("parse.workflow_id_length", {"value": shorten(text)}, usage=usage)
    if is_preset_name(text):
        return WorkflowRef("preset", text.lower())
    if _URL_HINT.search(text):
        return WorkflowRef("id", _id_from_url(text, usage))
    raise CommandError("parse.workflow_invalid", {"value": shorten(text)}, usage=usage)


def _id_from_url(text: str, usage: str) -> str:
    """Take the workflow id out of a runninghub.ai / runninghub.cn link."""
    invalid = CommandError("parse.workflow_invalid", {"value": shorten(text)}, usage=usage)
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        host = (parts.hostname or "").rstrip(".")
        query = parse_qsl(parts.query)
    except ValueError:
        raise invalid from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise invalid
    if host not in _HOSTS:
        raise CommandError("parse.workflow_url_host", {"host": shorten(host)}, usage=usage)
    for name, value in query:
        if name.lower() in _ID_QUERY_KEYS and _ID.fullmatch(value):
            return value
    found = _ID_IN_TEXT.findall(parts.path)
    if not found:
        raise CommandError("parse.workflow_url_no_id", {"value": shorten(text)}, usage=usage)
    return str(found[-1])
