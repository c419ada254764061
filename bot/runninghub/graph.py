"""Parse a workflow's API-format JSON (`getJsonApiFormat`'s `data.prompt`) into a WorkflowGraph."""

from __future__ import annotations

import json
from typing import Any

from bot.runninghub.errors import MalformedResponseError
from bot.runninghub.models import WorkflowGraph, WorkflowInput, WorkflowNode


def _link(value: Any) -> tuple[str, int] | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], (str, int))
        and not isinstance(value[0], bool)
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    ):
        return (str(value[0]), value[1])
    return None


def parse_graph(workflow_id: str, prompt: Any) -> WorkflowGraph:
    """Parse `prompt` (a JSON string or an already decoded dict) into nodes and inputs."""
    if isinstance(prompt, str):
        try:
            prompt = json.loads(prompt)
        except (ValueError, RecursionError):
            raise MalformedResponseError(
                "RunningHub sent a workflow JSON that does not parse"
            ) from None
    if not isinstance(prompt, dict):
        raise MalformedResponseError("RunningHub sent a workflow JSON that is not an object")
    nodes = []
    for node_id, node in prompt.items():
        if not isinstance(node, dict) or not isinstance(node.get("class_type"), str):
            continue
        raw_inputs = node.get("inputs")
        inputs = tuple(
            WorkflowInput(name=str(name), value=value, link=_link(value))
            for name, value in (raw_inputs.items() if isinstance(raw_inputs, dict) else ())
        )
        meta = node.get("_meta")
        title = meta.get("title") if isinstance(meta, dict) else None
        nodes.append(
            WorkflowNode(
                node_id=str(node_id),
                class_type=node["class_type"],
                title=str(title) if title else None,
                inputs=inputs,
            )
        )
    return WorkflowGraph(workflow_id=workflow_id, nodes=tuple(nodes), raw=prompt)
