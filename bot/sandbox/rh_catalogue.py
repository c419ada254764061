"""Workflows the emulator can run: API-format graphs, their outputs, override validation.

Overrides (`nodeInfoList` items, seed-dialect `params`) are validated against the graph: the
node and field must exist, the field must not be a link (``["4", 0]``) and the value must
convert to the field's type (int/float/bool/str); the converted value is what the task keeps.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Overrides = dict[str, dict[str, Any]]
UPLOAD_FIELDS = {"LoadImage": "image", "LoadAudio": "audio", "LoadVideo": "video"}
MAX_BATCH = 8


class InvalidNodeInfoError(Exception):
    """An override does not fit the graph; `detail` says which and why."""

    def __init__(self, detail: dict[str, Any]) -> None:
        super().__init__(detail.get("error", "invalid node info"))
        self.detail = detail


@dataclass(frozen=True)
class OutputSpec:
    """One output node: `count` files (times the batch size when `per_batch`) of `file_type`."""

    node_id: str
    file_type: str
    count: int = 1
    per_batch: bool = False
    text_from: tuple[str, str] | None = None


@dataclass(frozen=True)
class OutputFile:
    """One concrete result file of a task."""

    index: int
    node_id: str
    file_type: str
    text: str | None = None


@dataclass(eq=False)
class Workflow:
    """A runnable workflow; `failure` set means every run ends FAILED with that failedReason."""

    workflow_id: str
    name: str
    graph: dict[str, Any]
    outputs: tuple[OutputSpec, ...]
    failure: dict[str, Any] | None = None

    def api_json(self) -> str:
        """The graph as the JSON string `getJsonApiFormat` returns in `data.prompt`."""
        return json.dumps(self.graph, ensure_ascii=False)

    def editable_inputs(self) -> list[str]:
        """Every overridable input as ``nodeId.fieldName`` (links excluded)."""
        return [
            f"{node_id}.{name}"
            for node_id, node in self.graph.items()
            for name, value in node["inputs"].items()
            if not isinstance(value, list)
        ]

    def value(self, overrides: Overrides, node_id: str, name: str) -> Any:
        """The effective value of an input after `overrides`."""
        if name in overrides.get(node_id, {}):
            return overrides[node_id][name]
        return self.graph.get(node_id, {}).get("inputs", {}).get(name)

    def _latent_int(self, overrides: Overrides, name: str, default: int) -> int:
        for node_id, node in self.graph.items():
            if node["class_type"] == "EmptyLatentImage":
                value = self.value(overrides, node_id, name)
                return value if isinstance(value, int) and value > 0 else default
        return default

    def image_size(self, overrides: Overrides, cap: int) -> tuple[int, int]:
        """Width and height of result images, from the EmptyLatentImage, capped at `cap`."""
        width = self._latent_int(overrides, "width", 512)
        height = self._latent_int(overrides, "height", 512)
        return min(width, cap), min(height, cap)

    def output_files(self, overrides: Overrides) -> list[OutputFile]:
        """The files a successful run produces, in a stable order."""
        batch = min(self._latent_int(overrides, "batch_size", 1), MAX_BATCH)
        files: list[OutputFile] = []
        for spec in self.outputs:
            for _ in range(spec.count * (batch if spec.per_batch else 1)):
                text = None
                if spec.text_from is not None:
                    text = str(self.value(overrides, *spec.text_from))
                files.append(OutputFile(len(files), spec.node_id, spec.file_type, text))
        return files

    def upload_inputs(self, overrides: Overrides) -> list[str]:
        """Overridden loader values that must name a file uploaded with the same key."""
        names = []
        for node_id, fields in overrides.items():
            wanted = UPLOAD_FIELDS.get(self.graph[node_id]["class_type"])
            if wanted is not None and wanted in fields:
                names.append(str(fields[wanted]))
        return names

    def convert(self, node_id: str, name: str, value: Any) -> Any:
        """`value` converted to the type of input `node_id.name`; InvalidNodeInfoError if impossible."""
        where = {"nodeId": node_id, "fieldName": name}
        node = self.graph.get(node_id)
        if node is None:
            raise InvalidNodeInfoError({"error": "node_not_found_in_workflow", **where})
        if name not in node["inputs"]:
            raise InvalidNodeInfoError({"error": "field_not_found_in_node", **where})
        current = node["inputs"][name]
        if isinstance(current, list):
            raise InvalidNodeInfoError({"error": "field_is_a_link", **where})
        try:
            return _convert(current, value)
        except (TypeError, ValueError):
            raise InvalidNodeInfoError({"error": "bad_field_value", **where}) from None


def _convert(current: Any, value: Any) -> Any:
    if isinstance(value, list | dict) or value is None:
        raise TypeError("not a scalar")
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        raise ValueError("not a boolean")
    if isinstance(current, int):
        number = float(value)
        if isinstance(value, bool) or not number.is_integer():
            raise ValueError("not an integer")
        return int(number)
    if isinstance(current, float):
        return float(value)
    return str(value)


class Catalogue:
    """The workflows of one emulator, by id."""

    def __init__(self, workflows: list[Workflow]) -> None:
        self._workflows = {wf.workflow_id: wf for wf in workflows}

    def __iter__(self) -> Iterator[Workflow]:
        return iter(self._workflows.values())

    def __len__(self) -> int:
        return len(self._workflows)

    def get(self, workflow_id: str) -> Workflow | None:
        """The workflow with this id, or None."""
        return self._workflows.get(workflow_id)

    def add(self, workflow: Workflow) -> None:
        """Add (or replace) a workflow."""
        self._workflows[workflow.workflow_id] = workflow
