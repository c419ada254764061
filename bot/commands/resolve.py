"""Turn parsed parameters into typed overrides for a workflow (RunningHub ``nodeInfoList``).

``resolve`` checks each parameter against the workflow's schema (when it could be loaded),
converts its value to the input's type and binds an attached media file to its loader input;
``merge`` lays a user's overrides over a preset's defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from bot.commands.errors import CommandError, join_limited, shorten
from bot.commands.lookup import describe, find_target, inputs_of, link_source
from bot.commands.run import Param
from bot.commands.schema import MediaKind, WorkflowSchema, loader_kind
from bot.commands.values import convert


@dataclass(frozen=True, slots=True)
class MediaPlaceholder:
    """Stands for the attached file until it is uploaded and its file name is known."""

    kind: MediaKind


OverrideValue: TypeAlias = str | int | float | bool | MediaPlaceholder


@dataclass(frozen=True, slots=True)
class Override:
    """Set input ``field`` of node ``node_id`` to ``value``."""

    node_id: str
    field: str
    value: OverrideValue


def resolve(
    params: Sequence[Param], schema: WorkflowSchema | None, *, media_kind: MediaKind | None
) -> tuple[Override, ...]:
    """Resolve ``params`` against ``schema`` (None: not loadable); raise CommandError if unusable.

    With ``media_kind`` set and no ``key=@`` parameter, the attached file goes to the
    workflow's only loader input of that kind.
    """
    overrides: list[Override] = []
    taken: set[tuple[str, str]] = set()
    for param in params:
        override = _resolve_one(param, schema, media_kind)
        target = (override.node_id, override.field)
        if target in taken:
            key = shorten(f"{override.node_id}.{override.field}")
            raise CommandError("resolve.duplicate_target", {"key": key})
        taken.add(target)
        overrides.append(override)
    if media_kind is not None and not any(param.is_media for param in params):
        overrides.append(_bind_media(schema, media_kind, taken))
    return tuple(overrides)


def merge(defaults: Sequence[Override], given: Sequence[Override]) -> tuple[Override, ...]:
    """Overlay ``given`` on ``defaults`` per (node, field): defaults keep their order, the
    given value replaces a default in place, new ones follow in their own order."""
    merged: dict[tuple[str, str], Override] = {}
    for override in (*defaults, *given):
        merged[(override.node_id, override.field)] = override
    return tuple(merged.values())


def _resolve_one(
    param: Param, schema: WorkflowSchema | None, media_kind: MediaKind | None
) -> Override:
    if param.is_media and media_kind is None:
        raise CommandError("resolve.media_missing", {"key": shorten(param.key)})
    node_id, field, node, spec = find_target(param, schema)
    key = shorten(f"{node_id}.{field}")
    if spec is not None and spec.is_link:
        raise CommandError("resolve.linked_input", {"key": key, "source": link_source(spec)})
    if param.is_media and media_kind is not None:
        if node is not None:
            kind = loader_kind(node.class_type, field)
            if kind is None:
                raise CommandError("resolve.not_media_input", {"key": key})
            if kind != media_kind:
                raise CommandError("resolve.media_wrong_kind", {"key": key})
        return Override(node_id, field, MediaPlaceholder(media_kind))
    value = param.raw if spec is None else convert(param.key, param.raw, spec.value)
    return Override(node_id, field, value)


def _bind_media(
    schema: WorkflowSchema | None, media_kind: MediaKind, taken: set[tuple[str, str]]
) -> Override:
    if schema is None:
        raise CommandError("resolve.media_no_schema")
    loaders = [
        (node_id, field, node)
        for node_id, field, node, spec in inputs_of(schema)
        if not spec.is_link
        and (node_id, field) not in taken
        and loader_kind(node.class_type, field) == media_kind
    ]
    if not loaders:
        raise CommandError("resolve.media_no_loader")
    if len(loaders) > 1:
        names = [describe(node_id, field, node) for node_id, field, node in loaders]
        example = shorten(f"{loaders[0][0]}.{loaders[0][1]}")
        raise CommandError(
            "resolve.media_ambiguous", {"candidates": join_limited(names), "example": example}
        )
    node_id, field, _ = loaders[0]
    return Override(node_id, field, MediaPlaceholder(media_kind))
