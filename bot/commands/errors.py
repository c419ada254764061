"""The one error type of the command parser and resolver, and the registry of its codes.

Every code is an i18n message key (``bot/i18n/catalogue_*.py``); ``params`` fill the message's
``{placeholders}``. A user sees the message for ``code`` followed by the usage line ``usage``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

USAGE_RUN: Final = "usage.run"
USAGE_PRESET: Final = "usage.preset"
USAGE_KEYS: Final[frozenset[str]] = frozenset({USAGE_RUN, USAGE_PRESET})

ERROR_CODES: Final[frozenset[str]] = frozenset(
    {
        "parse.bad_key",
        "parse.duplicate_key",
        "parse.empty_value",
        "parse.missing_equals",
        "parse.missing_workflow",
        "parse.text_after_quote",
        "parse.unterminated_quote",
        "parse.workflow_id_length",
        "parse.workflow_invalid",
        "parse.workflow_url_host",
        "parse.workflow_url_no_id",
        "preset.bad_name",
        "preset.missing_action",
        "preset.missing_name",
        "preset.unexpected_argument",
        "preset.unknown_action",
        "preset.workflow_not_id",
        "resolve.ambiguous",
        "resolve.duplicate_target",
        "resolve.linked_input",
        "resolve.media_ambiguous",
        "resolve.media_missing",
        "resolve.media_no_loader",
        "resolve.media_no_schema",
        "resolve.media_wrong_kind",
        "resolve.no_schema",
        "resolve.not_bool",
        "resolve.not_media_input",
        "resolve.not_number",
        "resolve.unknown_field",
        "resolve.unknown_node",
        "resolve.unknown_node_field",
    }
)

_SHORT_LIMIT: Final = 40


class CommandError(ValueError):
    """A command text that cannot be used, described by a message key and its parameters."""

    def __init__(
        self, code: str, params: Mapping[str, str] | None = None, *, usage: str = USAGE_RUN
    ) -> None:
        self.code = code
        self.params: dict[str, str] = dict(params or {})
        self.usage = usage
        super().__init__(code)

    def __str__(self) -> str:
        return f"{self.code} {self.params}" if self.params else self.code

    def __repr__(self) -> str:
        return f"CommandError({self.code!r}, {self.params!r}, usage={self.usage!r})"


def shorten(text: str, limit: int = _SHORT_LIMIT) -> str:
    """Return ``text`` on one line, cut to ``limit`` characters with an ellipsis, for messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def join_limited(items: list[str], limit: int = 12) -> str:
    """Join names for a message, listing at most ``limit`` and counting the rest."""
    if not items:
        return "—"
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, … (+{len(items) - limit})"
