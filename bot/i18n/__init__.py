"""Message catalogues and the Translator that renders message keys in the user's language.

Every user-visible string is a key in ``catalogue_en.MESSAGES`` and ``catalogue_ru.MESSAGES``
(``str.format`` placeholders such as ``{key}``); a test keeps both catalogues identical in
keys and placeholders.

Language choice (``for_language``): Telegram's ``language_code`` is an IETF tag ("ru",
"pt-br", …) or absent. Russian is used for ru, uk and be (Russian, Ukrainian, Belarusian
clients); every other tag, and no tag, gets English. ``for_language("ru")``/``("en")`` also
serves a language the user picked explicitly.

A missing key, or a placeholder left without a value, raises KeyError: tests catch it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.i18n import catalogue_en, catalogue_ru

SUPPORTED: Final = ("en", "ru")
_RUSSIAN_READERS: Final = frozenset({"ru", "uk", "be"})


@dataclass(frozen=True, slots=True)
class Translator:
    """Renders message keys from one language's catalogue."""

    language: str
    messages: Mapping[str, str]

    def t(self, key: str, /, **params: object) -> str:
        """Return the message ``key`` with ``params`` filled in; KeyError if either is missing."""
        return self.messages[key].format(**params)


def for_language(code: str | None) -> Translator:
    """Return the Translator for a Telegram language code (see the module docstring)."""
    primary = (code or "").strip().replace("_", "-").split("-", 1)[0].lower()
    if primary in _RUSSIAN_READERS:
        return Translator("ru", catalogue_ru.MESSAGES)
    return Translator("en", catalogue_en.MESSAGES)


__all__ = ["SUPPORTED", "Translator", "for_language"]
