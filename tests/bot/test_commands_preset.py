"""Tests for parse_preset: save, list and delete, and their errors with the preset usage line."""

import pytest

from bot.commands import (
    CommandError,
    Param,
    PresetDelete,
    PresetList,
    PresetSave,
    WorkflowRef,
    parse_preset,
)

WORKFLOW_ID = "1904136902449209346"


def test_save_with_link_and_params() -> None:
    """save takes a name, a workflow link and default parameters in the /run syntax."""
    command = parse_preset(
        f"save Portrait https://www.runninghub.ai/post/{WORKFLOW_ID} text=«кот в шляпе» 3.seed=42"
    )
    assert command == PresetSave(
        "portrait",
        WorkflowRef("id", WORKFLOW_ID),
        (
            Param("text", None, "text", "кот в шляпе", is_media=False),
            Param("3.seed", "3", "seed", "42", is_media=False),
        ),
    )


def test_save_without_params() -> None:
    """save needs no parameters."""
    assert parse_preset(f"save fox {WORKFLOW_ID}") == PresetSave(
        "fox", WorkflowRef("id", WORKFLOW_ID), ()
    )


def test_list_and_delete() -> None:
    """list takes nothing; delete takes a name, lower-cased; actions ignore case."""
    assert parse_preset(" LIST ") == PresetList()
    assert parse_preset("Delete My-Fox") == PresetDelete("my-fox")


@pytest.mark.parametrize(
    ("args", "code", "params"),
    [
        ("", "preset.missing_action", {}),
        ("rename a b", "preset.unknown_action", {"action": "rename"}),
        ("list all", "preset.unexpected_argument", {"token": "all"}),
        ("delete", "preset.missing_name", {}),
        ("delete fox extra", "preset.unexpected_argument", {"token": "extra"}),
        ("delete 12345", "preset.bad_name", {"name": "12345"}),
        ("save", "preset.missing_name", {}),
        ("save кот 1904136902449209346", "preset.bad_name", {"name": "кот"}),
        ("save fox", "parse.missing_workflow", {}),
        ("save fox text=hi", "parse.missing_workflow", {}),
        ("save fox other", "preset.workflow_not_id", {"value": "other"}),
        ("save fox 12345", "parse.workflow_id_length", {"value": "12345"}),
        (f"save fox {WORKFLOW_ID} stray", "parse.missing_equals", {"token": "stray"}),
        (f"save fox {WORKFLOW_ID} a=1 a=2", "parse.duplicate_key", {"key": "a"}),
        (f'save fox {WORKFLOW_ID} text="open', "parse.unterminated_quote", {"key": "text", "quote": '"'}),
    ],
)  # fmt: skip
def test_preset_errors(args: str, code: str, params: dict[str, str]) -> None:
    """Every malformed /preset command raises its error with the preset usage line."""
    with pytest.raises(CommandError) as caught:
        parse_preset(args)
    assert (caught.value.code, caught.value.params, caught.value.usage) == (
        code,
        params,
        "usage.preset",
    )
