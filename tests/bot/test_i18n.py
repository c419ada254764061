"""Tests for bot.i18n: catalogue parity, coverage of parser codes, rendering and language choice."""

import ast
import re
import string
from pathlib import Path

import pytest

import bot.commands
from bot.commands import ERROR_CODES, USAGE_KEYS
from bot.i18n import SUPPORTED, Translator, catalogue_en, catalogue_ru, for_language

CATALOGUES = {"en": catalogue_en.MESSAGES, "ru": catalogue_ru.MESSAGES}
COMMANDS_DIR = Path(bot.commands.__file__).parent
CODE_LITERAL = re.compile(r"(parse|preset|resolve|usage)\.[a-z_]+")


def _placeholders(message: str) -> set[str]:
    """Return the names of the ``str.format`` fields in ``message``."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


def _code_literals() -> set[str]:
    """Return every string literal in bot/commands that looks like a message key."""
    found: set[str] = set()
    for path in COMMANDS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and CODE_LITERAL.fullmatch(value):
                found.add(value)
    return found


def test_catalogues_have_identical_keys() -> None:
    """English and Russian define exactly the same message keys."""
    assert set(catalogue_en.MESSAGES) == set(catalogue_ru.MESSAGES)
    assert tuple(CATALOGUES) == SUPPORTED


def test_catalogues_have_identical_placeholders() -> None:
    """Each key uses the same placeholders in English and Russian."""
    mismatched = {
        key: (_placeholders(text), _placeholders(catalogue_ru.MESSAGES[key]))
        for key, text in catalogue_en.MESSAGES.items()
        if _placeholders(text) != _placeholders(catalogue_ru.MESSAGES.get(key, ""))
    }
    assert mismatched == {}


def test_catalogues_are_sorted_by_key() -> None:
    """Keys are listed in sorted order, so prefixes stay grouped as the files grow."""
    for messages in CATALOGUES.values():
        assert list(messages) == sorted(messages)


def test_every_parser_code_and_usage_key_has_a_message() -> None:
    """The registry of CommandError codes and both usage keys exist in every catalogue."""
    for messages in CATALOGUES.values():
        assert set(messages) >= ERROR_CODES | USAGE_KEYS


def test_source_uses_only_registered_codes_and_all_of_them() -> None:
    """Every key-like literal in bot/commands is registered, and every registered code is used."""
    assert _code_literals() == ERROR_CODES | USAGE_KEYS


def test_every_command_error_is_built_from_a_literal_code() -> None:
    """CommandError is always raised with a literal code, so the source scan sees them all."""
    for path in COMMANDS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "CommandError":
                assert isinstance(node.args[0], ast.Constant), f"{path.name}:{node.lineno}"


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_message_renders_with_its_placeholders(language: str) -> None:
    """Each message renders when given its placeholders, leaving no braces or blank text."""
    translator = for_language(language)
    for key, text in CATALOGUES[language].items():
        rendered = translator.t(key, **dict.fromkeys(_placeholders(text), "{x}"))
        assert rendered.strip()
        assert rendered.replace("{x}", "").count("{") == 0


def test_russian_quotes_are_guillemets() -> None:
    """Russian messages quote with «ёлочки», never with English curly quotes."""
    assert not [key for key, text in catalogue_ru.MESSAGES.items() if "“" in text or "”" in text]
    assert sum("«" in text for text in catalogue_ru.MESSAGES.values()) > 10


@pytest.mark.parametrize(
    ("code", "language"),
    [("ru", "ru"), ("ru-RU", "ru"), ("uk", "ru"), ("be", "ru"), ("UK_ua", "ru"), (" ru ", "ru"),
     ("en", "en"), ("en-GB", "en"), ("de", "en"), ("pt-br", "en"), ("rus", "en"), ("", "en"), (None, "en")],
)  # fmt: skip
def test_for_language_picks_russian_for_ru_uk_be(code: str | None, language: str) -> None:
    """ru, uk and be tags (any case or region) get Russian; anything else gets English."""
    translator = for_language(code)
    assert translator.language == language
    assert translator.messages is CATALOGUES[language]


def test_t_fills_placeholders() -> None:
    """t formats the message with the given params, and user braces stay literal."""
    assert for_language("en").t("parse.duplicate_key", key="{steps}") == (
        "“{steps}” is given twice. Keep one value for it."
    )
    assert for_language("ru").t("resolve.not_number", key="seed", value="abc") == (
        "Для «seed» нужно число, а не «abc»."
    )


def test_t_raises_key_error_for_missing_key_or_placeholder() -> None:
    """A missing key or an unfilled placeholder raises KeyError instead of showing garbage."""
    translator = Translator("en", catalogue_en.MESSAGES)
    with pytest.raises(KeyError):
        translator.t("no.such_key")
    with pytest.raises(KeyError):
        translator.t("parse.duplicate_key")
