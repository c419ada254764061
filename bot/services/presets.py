"""Presets: named shortcuts to a workflow with default parameters, per user or per chat."""

from __future__ import annotations

import json
from typing import Protocol

from bot.commands import RunRequest, WorkflowRef, parse_run
from bot.errors import BotError
from storage.presets import Presets


class _Where(Protocol):
    @property
    def user_id(self) -> int: ...
    @property
    def chat_id(self) -> int: ...
    @property
    def is_group(self) -> bool: ...


class PresetBook:
    """Looks presets up (the user's own first, then the chat's) and stores them."""

    def __init__(self, presets: Presets) -> None:
        self._presets = presets

    async def expand(self, ref: WorkflowRef, where: _Where) -> tuple[str, RunRequest | None]:
        """Return the workflow id and the preset's defaults (None for a plain workflow id)."""
        if ref.kind == "id":
            return ref.value, None
        preset = await self._presets.get("user", where.user_id, ref.value)
        if preset is None and where.is_group:
            preset = await self._presets.get("chat", where.chat_id, ref.value)
        if preset is None:
            raise BotError("preset.not_found", name=ref.value)
        args = preset.defaults.get("args", "") if isinstance(preset.defaults, dict) else ""
        defaults = parse_run(f"{preset.workflow_id} {args}")
        return preset.workflow_id, defaults

    async def save(self, scope: str, scope_id: int, name: str, workflow_id: str, args: str) -> None:
        """Store (or replace) a preset; `args` is the parameter text as the user typed it."""
        await self._presets.save(scope, scope_id, name, workflow_id, {"args": args})  # type: ignore[arg-type]

    async def names(self, scope: str, scope_id: int) -> list[tuple[str, str, str]]:
        """(name, workflow id, parameter text) of every preset in the scope."""
        found = await self._presets.list(scope, scope_id)  # type: ignore[arg-type]
        return [(p.name, p.workflow_id, json.dumps(p.defaults.get("args", ""))) for p in found]

    async def delete(self, scope: str, scope_id: int, name: str) -> bool:
        """Delete a preset; True if it existed."""
        return await self._presets.delete(scope, scope_id, name)  # type: ignore[arg-type]
