"""Pure parsing of the /run and /preset commands and resolution against a workflow's inputs.

Standard library only: no Telegram, no pydantic, no other bot modules. Every failure, for any
input, is a CommandError whose ``code`` and ``usage`` are i18n message keys.

    request = parse_run(text_after_command)              # RunRequest(workflow, params)
    overrides = resolve(request.params, schema, media_kind="image")
    overrides = merge(preset_defaults, overrides)        # the user's values win
"""

from bot.commands.errors import ERROR_CODES, USAGE_KEYS, USAGE_PRESET, USAGE_RUN, CommandError
from bot.commands.presets import PresetCommand, PresetDelete, PresetList, PresetSave, parse_preset
from bot.commands.resolve import MediaPlaceholder, Override, OverrideValue, merge, resolve
from bot.commands.run import MEDIA_VALUE, Param, RunRequest, parse_run
from bot.commands.schema import (
    InputSpec,
    MediaKind,
    NodeSchema,
    WorkflowSchema,
    loader_kind,
    schema_from_api_json,
)
from bot.commands.tokenizer import QUOTES
from bot.commands.workflow import WorkflowRef

__all__ = [
    "ERROR_CODES",
    "MEDIA_VALUE",
    "QUOTES",
    "USAGE_KEYS",
    "USAGE_PRESET",
    "USAGE_RUN",
    "CommandError",
    "InputSpec",
    "MediaKind",
    "MediaPlaceholder",
    "NodeSchema",
    "Override",
    "OverrideValue",
    "Param",
    "PresetCommand",
    "PresetDelete",
    "PresetList",
    "PresetSave",
    "RunRequest",
    "WorkflowRef",
    "WorkflowSchema",
    "loader_kind",
    "merge",
    "parse_preset",
    "parse_run",
    "resolve",
    "schema_from_api_json",
]
