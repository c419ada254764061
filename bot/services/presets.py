"""Presets: named shortcuts to a workflow with default parameters, per user or per chat.

A user's own preset wins over the chat's of the same name. Parameters are stored as parsed
(`key`, `raw`, media flag) and resolved against the workflow when the preset is run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Protocol

from bot.commands import Param, RunRequest, WorkflowRef
from bot.errors import BotError
from storage.presets import Presets
from storage.records import Preset, ScopeKind

Scope = ScopeKind


class _Where(Protocol):
    @property
    def user_id(self) -> int: ...
    @property
    def chat_id(self) -> int: ...
    @property
    def is_group(self) -> bool: ...


def _params(defaults: dict[str, Any]) -> tuple[Param, ...]:
    items = defaults.get("params", [])
    return tuple(Param(**item) for item in items if isinstance(item, dict))


def params_text(preset: Preset) -> str:
    """The preset's parameters as the user would type them."""
    return " ".join(
        p.key + "=" + ("@" if p.is_media else repr(p.raw) if " " in p.raw else p.raw)
        for p in _params(preset.defaults)
    )


class PresetBook:
    """Looks presets up and stores them."""

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
        request = RunRequest(WorkflowRef("id", preset.workflow_id), _params(preset.defaults))
        return preset.workflow_id, request

    async def save(
        self, scope: ScopeKind, scope_id: int, name: str, workflow_id: str, params: Sequence[Param]
    ) -> None:
        """Store (or replace) a preset."""
        defaults = {"params": [asdict(p) for p in params]}
        await self._presets.save(scope, scope_id, name, workflow_id, defaults)

    async def listed(self, scopes: Sequence[tuple[ScopeKind, int]]) -> list[tuple[str, Preset]]:
        """(scope kind, preset) for every preset in the given scopes."""
        found: list[tuple[str, Preset]] = []
        for kind, scope_id in scopes:
            found += [(kind, p) for p in await self._presets.list(kind, scope_id)]
        return found

    async def delete(self, scope: ScopeKind, scope_id: int, name: str) -> bool:
        """Delete a preset; True if it existed."""
        return await self._presets.delete(scope, scope_id, name)
