"""Parse the text after ``/preset``: ``save <name> <workflow> [key=value ...]``, ``list``,
``delete <name>``. Same tokenizer and error style as /run; errors carry the preset usage line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from bot.commands.errors import USAGE_PRESET, CommandError, shorten
from bot.commands.run import Param, parse_params, parse_workflow_token
from bot.commands.tokenizer import Token, tokenize
from bot.commands.workflow import WorkflowRef, is_preset_name


@dataclass(frozen=True, slots=True)
class PresetSave:
    """Save ``name`` as a shortcut for a workflow id plus default parameters."""

    name: str
    workflow: WorkflowRef
    params: tuple[Param, ...]


@dataclass(frozen=True, slots=True)
class PresetList:
    """List the user's presets."""


@dataclass(frozen=True, slots=True)
class PresetDelete:
    """Delete the preset ``name``."""

    name: str


PresetCommand: TypeAlias = PresetSave | PresetList | PresetDelete


def parse_preset(args_text: str) -> PresetCommand:
    """Parse the text after ``/preset``; raise CommandError for anything unusable."""
    tokens = tokenize(args_text, usage=USAGE_PRESET)
    if not tokens:
        raise CommandError("preset.missing_action", usage=USAGE_PRESET)
    action, rest = tokens[0].raw.lower(), tokens[1:]
    if action == "list":
        _expect_end(rest)
        return PresetList()
    if action == "delete":
        name = _name(rest)
        _expect_end(rest[1:])
        return PresetDelete(name)
    if action == "save":
        name = _name(rest)
        if len(rest) < 2:
            raise CommandError("parse.missing_workflow", usage=USAGE_PRESET)
        workflow = parse_workflow_token(rest[1], usage=USAGE_PRESET)
        if workflow.kind != "id":
            raise CommandError(
                "preset.workflow_not_id", {"value": shorten(rest[1].raw)}, usage=USAGE_PRESET
            )
        return PresetSave(name, workflow, parse_params(rest[2:], usage=USAGE_PRESET))
    raise CommandError(
        "preset.unknown_action", {"action": shorten(tokens[0].raw)}, usage=USAGE_PRESET
    )


def _name(tokens: Sequence[Token]) -> str:
    """Return the preset name at the head of ``tokens``, lower-cased."""
    if not tokens:
        raise CommandError("preset.missing_name", usage=USAGE_PRESET)
    raw = tokens[0].raw
    if not is_preset_name(raw):
        raise CommandError("preset.bad_name", {"name": shorten(raw)}, usage=USAGE_PRESET)
    return raw.lower()


def _expect_end(tokens: Sequence[Token]) -> None:
    """Reject anything left over after a complete preset command."""
    if tokens:
        raise CommandError(
            "preset.unexpected_argument", {"token": shorten(tokens[0].raw)}, usage=USAGE_PRESET
        )
