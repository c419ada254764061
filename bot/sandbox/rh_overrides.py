"""Turning a request's overrides into validated per-node values.

Two inputs: the real API's ``nodeInfoList`` (``[{nodeId, fieldName, fieldValue}]``) and the
seed dialect's ``params`` (``{"6.text": "...", "seed": 1}``; a bare field name is resolved
through the API graph and must name exactly one non-link input).
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.rh_catalogue import InvalidNodeInfoError, Overrides, Workflow


def from_node_info_list(workflow: Workflow, items: Any) -> Overrides:
    """Validated overrides from a ``nodeInfoList`` (None or missing means no overrides)."""
    if items is None:
        return {}
    if not isinstance(items, list):
        raise InvalidNodeInfoError({"error": "nodeInfoList must be a list"})
    overrides: Overrides = {}
    for item in items:
        if not isinstance(item, dict) or "fieldValue" not in item:
            raise InvalidNodeInfoError({"error": "each item needs nodeId, fieldName, fieldValue"})
        node_id, name = str(item.get("nodeId", "")), str(item.get("fieldName", ""))
        value = workflow.convert(node_id, name, item["fieldValue"])
        overrides.setdefault(node_id, {})[name] = value
    return overrides


def resolve_name(workflow: Workflow, key: str) -> tuple[str, str]:
    """``nodeId.fieldName`` or a bare field name → (nodeId, fieldName); InvalidNodeInfoError if not one."""
    if "." in key:
        node_id, name = key.split(".", 1)
        return node_id, name
    found = [
        (node_id, key)
        for node_id, node in workflow.graph.items()
        if key in node["inputs"] and not isinstance(node["inputs"][key], list)
    ]
    if len(found) == 1:
        return found[0]
    error = "ambiguous_param" if found else "unknown_param"
    candidates = [f"{node_id}.{name}" for node_id, name in found]
    raise InvalidNodeInfoError({"error": error, "param": key, "candidates": candidates})


def from_params(workflow: Workflow, params: Any) -> Overrides:
    """Validated overrides from the seed dialect's ``params`` object."""
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise InvalidNodeInfoError({"error": "params must be an object"})
    overrides: Overrides = {}
    for key, raw in params.items():
        node_id, name = resolve_name(workflow, str(key))
        try:
            value = workflow.convert(node_id, name, raw)
        except InvalidNodeInfoError as exc:
            raise InvalidNodeInfoError({**exc.detail, "param": str(key)}) from None
        overrides.setdefault(node_id, {})[name] = value
    return overrides
