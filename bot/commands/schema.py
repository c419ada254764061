"""What a workflow's inputs look like, built from its ComfyUI API-format JSON.

The JSON (``getJsonApiFormat`` → ``data.prompt``) maps node ids to
``{"class_type": ..., "inputs": {field: value}, "_meta": {"title": ...}}``; a value that is a
two-item list ``["7", 0]`` is a link to another node's output, anything else is a literal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

MediaKind: TypeAlias = Literal["image", "video", "audio"]


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One node input: its current literal value, or a link when ``is_link``."""

    name: str
    value: object
    is_link: bool


@dataclass(frozen=True, slots=True)
class NodeSchema:
    """One node: id, ComfyUI class, the title shown in the editor, and its inputs by name."""

    node_id: str
    class_type: str
    title: str | None
    inputs: Mapping[str, InputSpec]


@dataclass(frozen=True, slots=True)
class WorkflowSchema:
    """All nodes of a workflow by node id."""

    nodes: Mapping[str, NodeSchema]


def is_link(value: object) -> bool:
    """Tell whether an input value is a link ``[node_id, output_index]``."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return False
    source, index = value
    return (
        isinstance(source, str | int)
        and not isinstance(source, bool)
        and isinstance(index, int)
        and not isinstance(index, bool)
    )


def schema_from_api_json(prompt: Mapping[str, Any]) -> WorkflowSchema:
    """Build a WorkflowSchema, skipping entries that are not node objects; never raises."""
    nodes: dict[str, NodeSchema] = {}
    for node_id, node in prompt.items():
        if not isinstance(node, Mapping):
            continue
        raw_inputs = node.get("inputs")
        inputs = {
            str(name): InputSpec(str(name), value, is_link(value))
            for name, value in (raw_inputs.items() if isinstance(raw_inputs, Mapping) else ())
        }
        class_type = node.get("class_type")
        meta = node.get("_meta")
        title = meta.get("title") if isinstance(meta, Mapping) else None
        nodes[str(node_id)] = NodeSchema(
            node_id=str(node_id),
            class_type=class_type if isinstance(class_type, str) else "",
            title=title if isinstance(title, str) else None,
            inputs=MappingProxyType(inputs),
        )
    return WorkflowSchema(MappingProxyType(nodes))


def loader_kind(class_type: str, field: str) -> MediaKind | None:
    """Return the media kind a loader input takes (LoadImage.image, LoadVideo*.video, …)."""
    if field == "image" and class_type in ("LoadImage", "LoadImageMask"):
        return "image"
    if field in ("video", "file") and class_type.startswith("LoadVideo"):
        return "video"
    if field == "video" and class_type.startswith("VHS_LoadVideo"):
        return "video"
    if field == "audio" and class_type == "LoadAudio":
        return "audio"
    return None
