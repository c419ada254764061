"""Tests for attached media binding, resolution without a schema, schema building and merge."""

from typing import Any

import pytest

from bot.commands import (
    CommandError,
    MediaKind,
    MediaPlaceholder,
    Override,
    WorkflowSchema,
    merge,
    parse_run,
    resolve,
    schema_from_api_json,
)

# A minimal text-to-image graph; tests add loader nodes to it.
BASE: dict[str, Any] = {
    "3": {"class_type": "KSampler", "inputs": {"steps": 20, "model": ["4", 0]}},
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl.safetensors"}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "fox", "clip": ["4", 1]}},
}
WORKFLOW_ID = "1904136902449209350"


def _with(**nodes: dict[str, Any]) -> WorkflowSchema:
    """Return the base schema plus extra nodes given as ``node_<id>={class_type, inputs}``."""
    extra = {name.removeprefix("node_"): node for name, node in nodes.items()}
    return schema_from_api_json({**BASE, **extra})


def _loader(class_type: str, **inputs: object) -> dict[str, Any]:
    """Return an API-JSON node of ``class_type`` with ``inputs``."""
    return {"class_type": class_type, "inputs": inputs, "_meta": {"title": "Load"}}


def _resolve(
    args: str, schema: WorkflowSchema | None = None, media: MediaKind | None = None
) -> tuple[Override, ...]:
    """Parse ``/run <id> args`` and resolve it (default schema: the base graph)."""
    params = parse_run(f"{WORKFLOW_ID} {args}").params
    return resolve(params, _with() if schema is None else schema, media_kind=media)


def _error(
    args: str, schema: WorkflowSchema | None = None, media: MediaKind | None = None
) -> CommandError:
    """Resolve expecting a CommandError and return it."""
    with pytest.raises(CommandError) as caught:
        _resolve(args, schema, media)
    return caught.value


def test_schema_from_api_json_tolerates_malformed_nodes() -> None:
    """Non-object nodes are skipped; missing class, title or inputs become defaults."""
    schema = schema_from_api_json(
        {
            "1": "not a node",
            "2": {"class_type": 5, "inputs": [1, 2], "_meta": {"title": 3}},
            "3": {"inputs": {"a": [7, 0], "b": ["7", "0"], "c": [True, 0], "d": ["7", 0, 1]}},
        }
    )
    assert sorted(schema.nodes) == ["2", "3"]
    assert (
        schema.nodes["2"].class_type,
        schema.nodes["2"].title,
        dict(schema.nodes["2"].inputs),
    ) == ("", None, {})
    assert {name: spec.is_link for name, spec in schema.nodes["3"].inputs.items()} == {
        "a": True,
        "b": False,
        "c": False,
        "d": False,
    }


def test_without_schema_node_fields_pass_through_as_text() -> None:
    """With no schema, node.field values stay strings and are not checked."""
    params = parse_run(f"{WORKFLOW_ID} 3.steps=30 99.anything=«x y»").params
    assert resolve(params, None, media_kind=None) == (
        Override("3", "steps", "30"),
        Override("99", "anything", "x y"),
    )


def test_without_schema_bare_names_are_rejected() -> None:
    """With no schema a bare name cannot be matched: no_schema."""
    params = parse_run(f"{WORKFLOW_ID} 6.text=a steps=30").params
    with pytest.raises(CommandError) as caught:
        resolve(params, None, media_kind=None)
    assert (caught.value.code, caught.value.params) == ("resolve.no_schema", {"key": "steps"})


@pytest.mark.parametrize(
    ("node", "field", "kind"),
    [
        (_loader("LoadImage", image="a.png", upload="image"), "image", "image"),
        (_loader("LoadImageMask", image="a.png", channel="alpha"), "image", "image"),
        (_loader("LoadVideo", file="a.mp4"), "file", "video"),
        (_loader("LoadVideoUpload", video="a.mp4"), "video", "video"),
        (_loader("VHS_LoadVideo", video="a.mp4", frame_load_cap=0), "video", "video"),
        (_loader("LoadAudio", audio="a.mp3"), "audio", "audio"),
    ],
)
def test_attachment_binds_to_the_only_loader(
    node: dict[str, Any], field: str, kind: MediaKind
) -> None:
    """Without key=@ the attached file goes to the one loader input of its kind."""
    overrides = _resolve("steps=4", _with(node_10=node), kind)
    assert overrides == (Override("3", "steps", 4), Override("10", field, MediaPlaceholder(kind)))


def test_explicit_media_param_targets_named_loader() -> None:
    """image=@ with two image loaders is ambiguous; 11.image=@ picks one; no extra binding."""
    schema = _with(
        node_10=_loader("LoadImage", image="a.png"), node_11=_loader("LoadImage", image="b.png")
    )
    assert _error("image=@", schema, "image").code == "resolve.ambiguous"
    assert _resolve("11.image=@", schema, "image") == (
        Override("11", "image", MediaPlaceholder("image")),
    )


def test_several_loaders_without_choice_are_ambiguous() -> None:
    """Two image loaders and no key=@ raise media_ambiguous listing both."""
    schema = _with(
        node_10=_loader("LoadImage", image="a.png"), node_11=_loader("LoadImage", image="b.png")
    )
    error = _error("steps=4", schema, "image")
    assert (error.code, error.params) == (
        "resolve.media_ambiguous",
        {"candidates": "10.image (Load), 11.image (Load)", "example": "10.image"},
    )


def test_loader_set_explicitly_is_not_a_binding_candidate() -> None:
    """A loader given a file name by the user leaves the attachment for the other loader."""
    schema = _with(
        node_10=_loader("LoadImage", image="a.png"), node_11=_loader("LoadImage", image="b.png")
    )
    assert _resolve("10.image=mask.png", schema, "image") == (
        Override("10", "image", "mask.png"),
        Override("11", "image", MediaPlaceholder("image")),
    )


@pytest.mark.parametrize(
    ("args", "schema", "media", "code"),
    [
        ("steps=4", None, "image", "resolve.media_no_loader"),
        ("10.image=x.png", _with(node_10=_loader("LoadImage", image="a.png")), "image", "resolve.media_no_loader"),
        ("steps=4", _with(node_10=_loader("LoadAudio", audio="a.mp3")), "image", "resolve.media_no_loader"),
        ("image=@", None, None, "resolve.media_missing"),
        ("6.text=@", None, "image", "resolve.not_media_input"),
        ("10.audio=@", _with(node_10=_loader("LoadAudio", audio="a.mp3")), "video", "resolve.media_wrong_kind"),
        ("10.image=@", _with(node_10=_loader("LoadImage", image=["1", 0])), "image", "resolve.linked_input"),
    ],
)  # fmt: skip
def test_media_errors(
    args: str, schema: WorkflowSchema | None, media: MediaKind | None, code: str
) -> None:
    """Attachments without a fitting loader, or @ without an attachment, raise their error."""
    assert _error(args, schema, media).code == code


def test_media_without_schema() -> None:
    """With no schema node.field=@ passes through; an unplaced attachment is an error."""
    params = parse_run(f"{WORKFLOW_ID} 10.image=@").params
    assert resolve(params, None, media_kind="image") == (
        Override("10", "image", MediaPlaceholder("image")),
    )
    with pytest.raises(CommandError) as caught:
        resolve((), None, media_kind="video")
    assert caught.value.code == "resolve.media_no_schema"


def test_merge_lets_given_values_win_in_place() -> None:
    """merge keeps defaults' order, replaces overridden ones in place and appends new ones."""
    defaults = (Override("6", "text", "fox"), Override("3", "steps", 20), Override("3", "cfg", 7.0))
    given = (Override("3", "seed", 1), Override("3", "steps", 30))
    assert merge(defaults, given) == (
        Override("6", "text", "fox"),
        Override("3", "steps", 30),
        Override("3", "cfg", 7.0),
        Override("3", "seed", 1),
    )
    assert merge((), given) == given
    assert merge(defaults, ()) == defaults
