"""Tests for resolve against the SDXL demo workflow: value types, lookups and their errors."""

from typing import Any

import pytest

from bot.commands import (
    CommandError,
    MediaKind,
    Override,
    WorkflowSchema,
    parse_run,
    resolve,
    schema_from_api_json,
)

# The SDXL demo workflow as ComfyUI exports it in API format: note "cfg": 8, a float widget
# saved as a whole number.
SDXL: dict[str, Any] = {
    "3": {
        "class_type": "KSampler",
        "inputs": {
            "seed": 156680208700286,
            "steps": 20,
            "cfg": 8,
            "sampler_name": "euler",
            "scheduler": "normal",
            "denoise": 1.0,
            "model": ["4", 0],
            "positive": ["6", 0],
            "negative": ["7", 0],
            "latent_image": ["5", 0],
        },
        "_meta": {"title": "KSampler"},
    },
    "4": {
        "class_type": "CheckpointLoaderSimple",
        "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"},
        "_meta": {"title": "Load Checkpoint"},
    },
    "5": {
        "class_type": "EmptyLatentImage",
        "inputs": {"width": 1024, "height": 1024, "batch_size": 1},
        "_meta": {"title": "Empty Latent Image"},
    },
    "6": {
        "class_type": "CLIPTextEncode",
        "inputs": {"text": "beautiful scenery", "clip": ["4", 1]},
        "_meta": {"title": "Positive"},
    },
    "7": {
        "class_type": "CLIPTextEncode",
        "inputs": {"text": "text, watermark", "clip": ["4", 1]},
        "_meta": {"title": "Negative"},
    },
    "8": {
        "class_type": "VAEDecode",
        "inputs": {"samples": ["3", 0], "vae": ["4", 2]},
        "_meta": {"title": "VAE Decode"},
    },
    "9": {
        "class_type": "SaveImage",
        "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]},
        "_meta": {"title": "Save Image"},
    },
}
WORKFLOW_ID = "1904136902449209346"


def _with(**nodes: dict[str, Any]) -> WorkflowSchema:
    """Return the SDXL schema plus extra nodes given as ``node_<id>={class_type, inputs}``."""
    extra = {name.removeprefix("node_"): node for name, node in nodes.items()}
    return schema_from_api_json({**SDXL, **extra})


def _loader(class_type: str, **inputs: object) -> dict[str, Any]:
    """Return an API-JSON node of ``class_type`` with ``inputs``."""
    return {"class_type": class_type, "inputs": inputs, "_meta": {"title": "Load"}}


def _resolve(
    args: str, schema: WorkflowSchema | None = None, media: MediaKind | None = None
) -> tuple[Override, ...]:
    """Parse ``/run <id> args`` and resolve it (default schema: SDXL)."""
    params = parse_run(f"{WORKFLOW_ID} {args}").params
    return resolve(
        params, schema_from_api_json(SDXL) if schema is None else schema, media_kind=media
    )


def _error(
    args: str, schema: WorkflowSchema | None = None, media: MediaKind | None = None
) -> CommandError:
    """Resolve expecting a CommandError and return it."""
    with pytest.raises(CommandError) as caught:
        _resolve(args, schema, media)
    return caught.value


def test_schema_from_api_json_reads_nodes_titles_and_links() -> None:
    """Nodes keep class and title; list pairs are links, everything else literal."""
    schema = schema_from_api_json(SDXL)
    node = schema.nodes["6"]
    assert (node.node_id, node.class_type, node.title) == ("6", "CLIPTextEncode", "Positive")
    assert (node.inputs["text"].value, node.inputs["text"].is_link) == ("beautiful scenery", False)
    assert node.inputs["clip"].is_link is True
    assert sorted(schema.nodes) == ["3", "4", "5", "6", "7", "8", "9"]


def test_values_take_the_type_of_the_current_literal() -> None:
    """steps → int, cfg 7,5 → float, denoise 1 → float, text and sampler stay strings."""
    overrides = _resolve("steps=30 cfg=7,5 denoise=1 6.text=«кот» sampler_name=dpmpp_2m 5.width=-3")
    assert overrides == (
        Override("3", "steps", 30),
        Override("3", "cfg", 7.5),
        Override("3", "denoise", 1.0),
        Override("6", "text", "кот"),
        Override("3", "sampler_name", "dpmpp_2m"),
        Override("5", "width", -3),
    )
    assert [type(o.value) for o in overrides] == [int, float, float, str, str, int]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        ("+5", 5),
        ("7,", 7.0),
        ("-3", -3),
        ("7.5", 7.5),
        ("7,5", 7.5),
        (".5", 0.5),
        ("1e3", 1000.0),
    ],
)
def test_int_literal_accepts_whole_and_decimal_numbers(raw: str, expected: float) -> None:
    """An int literal takes an int, or a decimal (ComfyUI saves whole floats as ints)."""
    (override,) = _resolve(f"seed={raw}")
    assert (override.value, type(override.value)) == (expected, type(expected))


@pytest.mark.parametrize(
    "raw", ["abc", "1_000", "4２", "nan", "inf", "1e999", ",", "1.2.3", "1" * 65]
)
def test_bad_numbers_name_the_field_value_and_type(raw: str) -> None:
    """A value that is not a finite number raises not_number naming the field and value."""
    error = _error(f"seed={raw}")
    assert (error.code, error.params["key"]) == ("resolve.not_number", "seed")
    assert error.params["value"] == (raw if len(raw) <= 40 else raw[:39] + "…")


def test_float_literal_rejects_text_and_flattens_long_values() -> None:
    """A multi-line bad value is shown on one line, shortened."""
    error = _error('cfg="very\nlong text that is not a number at all, really"')
    assert error.params == {"key": "cfg", "value": "very long text that is not a number at…"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("Yes", True), ("ON", True), ("1", True), ("да", True), ("Да", True),
     ("false", False), ("no", False), ("off", False), ("0", False), ("нет", False), ("НЕТ", False)],
)  # fmt: skip
def test_bool_literal_words(raw: str, expected: bool) -> None:
    """Booleans accept true/false, yes/no, on/off, 1/0 and да/нет in any case."""
    schema = _with(node_20=_loader("Toggle", enabled=True))
    assert _resolve(f"enabled={raw}", schema) == (Override("20", "enabled", expected),)


def test_bool_literal_rejects_other_words() -> None:
    """Anything else for a boolean raises not_bool."""
    error = _error("20.enabled=maybe", _with(node_20=_loader("Toggle", enabled=False)))
    assert (error.code, error.params) == (
        "resolve.not_bool",
        {"key": "20.enabled", "value": "maybe"},
    )


def test_ambiguous_bare_name_lists_candidates() -> None:
    """text matches 6.text and 7.text, so the error lists both with titles."""
    error = _error("text=fox")
    assert (error.code, error.params) == (
        "resolve.ambiguous",
        {"key": "text", "candidates": "6.text (Positive), 7.text (Negative)", "example": "6.text"},
    )


def test_unknown_bare_name_lists_literal_inputs() -> None:
    """A name no literal input has lists the overridable inputs once each, in node order."""
    error = _error("sheep=1")
    assert (error.code, error.params["key"]) == ("resolve.unknown_field", "sheep")
    assert error.params["available"] == (
        "seed, steps, cfg, sampler_name, scheduler, denoise, ckpt_name, width, height, "
        "batch_size, text, filename_prefix"
    )


@pytest.mark.parametrize(
    ("args", "key", "source"),
    [("model=x", "3.model", "4"), ("3.model=x", "3.model", "4"), ("clip=x", "6.clip", "4"), ("8.samples=x", "8.samples", "3")],
)  # fmt: skip
def test_linked_inputs_cannot_be_overridden(args: str, key: str, source: str) -> None:
    """A link input raises linked_input naming the node it is connected to."""
    error = _error(args)
    assert (error.code, error.params) == ("resolve.linked_input", {"key": key, "source": source})


def test_unknown_node_lists_nodes() -> None:
    """99.text names the missing node and lists the workflow's nodes."""
    error = _error("99.text=x", _with(node_10=_loader("LoadImage", image="a.png")))
    assert (error.code, error.params["node"]) == ("resolve.unknown_node", "99")
    assert error.params["nodes"] == (
        "3 (KSampler), 4 (Load Checkpoint), 5 (Empty Latent Image), 6 (Positive), "
        "7 (Negative), 8 (VAE Decode), 9 (Save Image), 10 (Load)"
    )


@pytest.mark.parametrize(
    ("args", "params"),
    [
        ("3.text=x", {"node": "3", "field": "text", "available": "seed, steps, cfg, sampler_name, scheduler, denoise"}),
        ("8.vae2=x", {"node": "8", "field": "vae2", "available": "—"}),
    ],
)  # fmt: skip
def test_unknown_field_on_node_lists_its_inputs(args: str, params: dict[str, str]) -> None:
    """A field the node lacks lists that node's literal inputs (— when it has none)."""
    error = _error(args)
    assert (error.code, error.params) == ("resolve.unknown_node_field", params)


def test_two_params_on_one_input_are_rejected() -> None:
    """3.steps and steps both set node 3's steps: duplicate_target."""
    error = _error("3.steps=1 steps=2")
    assert (error.code, error.params) == ("resolve.duplicate_target", {"key": "3.steps"})


def test_long_lists_are_cut_with_a_count() -> None:
    """More than twelve candidates are listed as the first twelve plus (+N)."""
    nodes = {f"node_{i}": _loader("CLIPTextEncode", text="x") for i in range(10, 25)}
    error = _error("text=y", _with(**nodes))
    assert error.params["candidates"].endswith(", 19.text (Load), … (+5)")
