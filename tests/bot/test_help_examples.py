"""Every /run example the bot shows users (help, start, usage) works on the demo workflows."""

from __future__ import annotations

import re

import pytest

from bot.commands import parse_run, resolve, schema_from_api_json
from bot.i18n import catalogue_en, catalogue_ru
from bot.sandbox.rh_workflows import default_workflows

SCHEMAS = {w.workflow_id: schema_from_api_json(w.graph) for w in default_workflows()}
EXAMPLE = re.compile(r"/run (1904\d{15}[^\n]*)")


def _examples() -> list[str]:
    found = []
    for messages in (catalogue_en.MESSAGES, catalogue_ru.MESSAGES):
        for key in ("help.text", "start.text"):
            found += EXAMPLE.findall(messages[key])
    return found


@pytest.mark.parametrize("example", _examples())
def test_shown_examples_parse_and_resolve(example: str) -> None:
    """An example from the bot's own texts parses and resolves against its workflow."""
    request = parse_run(example)
    kind = "image" if "=@" in example or request.workflow.value.endswith("350") else None
    resolve(request.params, SCHEMAS[request.workflow.value], media_kind=kind)


def test_there_are_examples_in_both_languages() -> None:
    """Both catalogues show runnable examples."""
    assert len(_examples()) >= 4
