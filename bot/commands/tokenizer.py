"""Split command text into whitespace-separated words and ``key=value`` tokens.

Rules (shared by /run and /preset):

* Tokens are separated by any whitespace (``str.isspace``: spaces, newlines, no-break spaces).
* A token containing ``=`` is ``key=value``; the key is the text before the first ``=``.
* A value that starts with an opening quote runs to the first matching closing quote, so
  spaces, newlines, Cyrillic and emoji inside arrive exactly as typed. The closing quote must
  be followed by whitespace or the end of the text. Accepted pairs (phone keyboards insert the
  typographic ones): "…", '…', “…”, “…“, ”…” (iOS), „…“, „…”, «…», ‘…’, ‘…‘, ’…’, ‚…‘, ‚…’.
* Inside quotes a backslash escapes a backslash or a closing quote of the same pair (``\\"``,
  ``\\\\``, ``\\»``); any other backslash is kept as typed, so ``\\n`` stays two characters.
* Any other value runs to the next whitespace; quotes inside it are ordinary characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from bot.commands.errors import CommandError, shorten

QUOTES: Final[Mapping[str, str]] = MappingProxyType(
    {
        '"': '"',
        "'": "'",
        "“": "”“",
        "”": "”",
        "„": "“”",
        "«": "»",
        "‘": "’‘",
        "’": "’",
        "‚": "‘’",
    }
)
"""Opening quote → the characters that close it."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``raw`` as typed; ``key``/``value`` only when it has an ``=``."""

    raw: str
    key: str | None = None
    value: str | None = None
    quoted: bool = False


def tokenize(text: str, *, usage: str) -> list[Token]:
    """Split ``text`` into tokens; raise CommandError (with ``usage``) on broken quoting."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return tokens
        start = i
        while i < n and not text[i].isspace() and text[i] != "=":
            i += 1
        if i >= n or text[i] != "=":
            tokens.append(Token(text[start:i]))
            continue
        key = text[start:i]
        i += 1
        if i < n and text[i] in QUOTES:
            value, i = _read_quoted(text, i, key, usage)
            tokens.append(Token(text[start:i], key, value, quoted=True))
            continue
        value_start = i
        while i < n and not text[i].isspace():
            i += 1
        tokens.append(Token(text[start:i], key, text[value_start:i]))


def _read_quoted(text: str, i: int, key: str, usage: str) -> tuple[str, int]:
    """Read the quoted value opening at ``text[i]``; return it and the index after it."""
    opener = text[i]
    closers = QUOTES[opener]
    chars: list[str] = []
    i += 1
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and (text[i + 1] == "\\" or text[i + 1] in closers):
            chars.append(text[i + 1])
            i += 2
            continue
        i += 1
        if char not in closers:
            chars.append(char)
            continue
        if i < n and not text[i].isspace():
            raise CommandError("parse.text_after_quote", {"key": shorten(key)}, usage=usage)
        return "".join(chars), i
    raise CommandError(
        "parse.unterminated_quote", {"key": shorten(key), "quote": opener}, usage=usage
    )
