"""Find the node input a parameter names, and describe inputs in error messages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from bot.commands.errors import CommandError, join_limited, shorten
from bot.commands.run import Param
from bot.commands.schema import InputSpec, NodeSchema, WorkflowSchema

_TITLE_LIMIT: Final = 24
Target = tuple[str, str, NodeSchema | None, InputSpec | None]
"""(node id, field, node, input); node and input are None when no schema is known."""


def find_target(param: Param, schema: WorkflowSchema | None) -> Target:
    """Return the input ``param`` addresses, or raise CommandError saying why there is none."""
    if param.node_id is not None:
        if schema is None:
            return param.node_id, param.field, None, None
        return _explicit(param.node_id, param.field, schema)
    if schema is None:
        raise CommandError("resolve.no_schema", {"key": shorten(param.key)})
    matches = [m for m in inputs_of(schema) if m[1] == param.field]
    literal = [m for m in matches if not m[3].is_link]
    if len(literal) == 1:
        return literal[0]
    if len(literal) > 1:
        names = [describe(node_id, field, node) for node_id, field, node, _ in literal]
        example = shorten(f"{literal[0][0]}.{literal[0][1]}")
        params = {"key": shorten(param.key), "candidates": join_limited(names), "example": example}
        raise CommandError("resolve.ambiguous", params)
    if matches:
        return matches[0]
    fields = list(
        dict.fromkeys(field for _, field, _, spec in inputs_of(schema) if not spec.is_link)
    )
    params = {"key": shorten(param.key), "available": join_limited(fields, limit=20)}
    raise CommandError("resolve.unknown_field", params)


def _explicit(node_id: str, field: str, schema: WorkflowSchema) -> Target:
    node = schema.nodes.get(node_id)
    if node is None:
        nodes = [describe(key, None, value) for key, value in sorted_nodes(schema)]
        raise CommandError(
            "resolve.unknown_node", {"node": shorten(node_id), "nodes": join_limited(nodes)}
        )
    spec = node.inputs.get(field)
    if spec is None:
        fields = [name for name, value in node.inputs.items() if not value.is_link]
        params = {"node": shorten(node_id), "field": shorten(field)}
        raise CommandError(
            "resolve.unknown_node_field", {**params, "available": join_limited(fields)}
        )
    return node_id, field, node, spec


def inputs_of(schema: WorkflowSchema) -> Iterator[tuple[str, str, NodeSchema, InputSpec]]:
    """Yield every (node id, field, node, input), nodes in numeric id order."""
    for node_id, node in sorted_nodes(schema):
        for field, spec in node.inputs.items():
            yield node_id, field, node, spec


def sorted_nodes(schema: WorkflowSchema) -> list[tuple[str, NodeSchema]]:
    """Return the nodes ordered as people read ids: 3, 10, 12:3, then named ids."""
    return sorted(schema.nodes.items(), key=lambda item: _id_order(item[0]))


def _id_order(node_id: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (0, len(part), part) if part.isascii() and part.isdigit() else (1, 0, part)
        for part in node_id.split(":")
    )


def describe(node_id: str, field: str | None, node: NodeSchema) -> str:
    """Name an input (``6.text (Positive)``) or a node (``6 (Positive)``) for a message."""
    label = shorten(node.title or node.class_type, _TITLE_LIMIT)
    name = shorten(node_id if field is None else f"{node_id}.{field}")
    return f"{name} ({label})" if label else name


def link_source(spec: InputSpec) -> str:
    """Return the node id a linked input is connected to."""
    value = spec.value
    if isinstance(value, list | tuple) and value:
        return shorten(str(value[0]))
    return "?"
