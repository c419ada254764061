"""Parse the text after ``/run`` into a RunRequest: a workflow and ``key=value`` parameters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.commands.errors import USAGE_RUN, CommandError, shorten
from bot.commands.tokenizer import Token, tokenize
from bot.commands.workflow import WorkflowRef, parse_workflow

MEDIA_VALUE: Final = "@"
_NODE_ID: Final = re.compile(r"[A-Za-z0-9:_-]+")
_FIELD: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True, slots=True)
class Param:
    """One ``key=value``; ``node_id`` is None for a bare field name; ``raw`` is the text value."""

    key: str
    node_id: str | None
    field: str
    raw: str
    is_media: bool


@dataclass(frozen=True, slots=True)
class RunRequest:
    """A parsed /run command."""

    workflow: WorkflowRef
    params: tuple[Param, ...]


def parse_run(args_text: str) -> RunRequest:
    """Parse the text after ``/run``; raise CommandError for anything unusable."""
    tokens = tokenize(args_text, usage=USAGE_RUN)
    if not tokens:
        raise CommandError("parse.missing_workflow", usage=USAGE_RUN)
    workflow = parse_workflow_token(tokens[0], usage=USAGE_RUN)
    return RunRequest(workflow, parse_params(tokens[1:], usage=USAGE_RUN))


def parse_workflow_token(token: Token, *, usage: str) -> WorkflowRef:
    """Parse the workflow word; a parameter in its place means the workflow is missing."""
    if token.key is not None and split_key(token.key) is not None:
        raise CommandError("parse.missing_workflow", usage=usage)
    return parse_workflow(token.raw, usage=usage)


def parse_params(tokens: Sequence[Token], *, usage: str) -> tuple[Param, ...]:
    """Turn ``key=value`` tokens into Params, rejecting bare words, bad keys and repeats."""
    params: list[Param] = []
    seen: set[str] = set()
    for token in tokens:
        if token.key is None or token.value is None:
            raise CommandError("parse.missing_equals", {"token": shorten(token.raw)}, usage=usage)
        key = token.key
        parts = split_key(key)
        if parts is None:
            raise CommandError("parse.bad_key", {"key": shorten(key)}, usage=usage)
        if not token.value and not token.quoted:
            raise CommandError("parse.empty_value", {"key": shorten(key)}, usage=usage)
        if key in seen:
            raise CommandError("parse.duplicate_key", {"key": shorten(key)}, usage=usage)
        seen.add(key)
        is_media = not token.quoted and token.value == MEDIA_VALUE
        params.append(Param(key, parts[0], parts[1], token.value, is_media))
    return tuple(params)


def split_key(key: str) -> tuple[str | None, str] | None:
    """Split ``node.field`` or a bare ``field`` into (node id or None, field); None if invalid."""
    node_id, dot, field = key.partition(".")
    if not dot:
        return (None, key) if _FIELD.fullmatch(key) else None
    if _NODE_ID.fullmatch(node_id) and _FIELD.fullmatch(field):
        return node_id, field
    return None
