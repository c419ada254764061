"""Presets per user or chat, and the per-chat list of allowed workflows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from storage.presets import ChatSettings, Presets

if TYPE_CHECKING:
    from tests.storage.conftest import FakeClock


async def test_save_get_and_upsert(presets: Presets, clock: FakeClock) -> None:
    """Saving a name again replaces workflow and defaults but keeps the creation time."""
    first = await presets.save("user", 1, "portrait", "1850", {"steps": 20})
    assert first.defaults == {"steps": 20}
    assert await presets.get("user", 1, "portrait") == first
    clock.advance(5)
    second = await presets.save("user", 1, "portrait", "1900", {"steps": 30, "seed": "ёж"})
    assert second.preset_id == first.preset_id
    assert (second.workflow_id, second.defaults) == ("1900", {"steps": 30, "seed": "ёж"})
    assert (second.created_at, second.updated_at) == (first.created_at, clock.now)


async def test_scopes_are_separate(presets: Presets) -> None:
    """The same name in a user scope, another user and a chat are three presets."""
    await presets.save("user", 1, "p", "w1", {})
    await presets.save("user", 2, "p", "w2", {})
    await presets.save("chat", 1, "p", "w3", {})
    found = [await presets.get(kind, scope, "p") for kind, scope in (("user", 1), ("chat", 1))]
    assert [p.workflow_id for p in found if p] == ["w1", "w3"]
    assert await presets.get("user", 3, "p") is None


async def test_list_is_by_name_and_delete_reports(presets: Presets) -> None:
    """list() orders by name; delete() is True only when something was deleted."""
    for name in ("b", "a", "c"):
        await presets.save("chat", -5, name, "w", {})
    assert [p.name for p in await presets.list("chat", -5)] == ["a", "b", "c"]
    assert await presets.delete("chat", -5, "b")
    assert not await presets.delete("chat", -5, "b")
    assert [p.name for p in await presets.list("chat", -5)] == ["a", "c"]


async def test_unknown_scope_is_refused(presets: Presets) -> None:
    """Only 'user' and 'chat' scopes exist."""
    with pytest.raises(ValueError, match="scope_kind"):
        await presets.save("group", 1, "p", "w", {})  # type: ignore[arg-type]


async def test_chat_settings_allowed_workflows(chat_settings: ChatSettings) -> None:
    """A chat is unrestricted until a list is set; None lifts the restriction again."""
    assert await chat_settings.get_allowed(-5) is None
    await chat_settings.set_allowed(-5, ["1850", "1900"])
    assert await chat_settings.get_allowed(-5) == ["1850", "1900"]
    await chat_settings.set_allowed(-5, [])
    assert await chat_settings.get_allowed(-5) == []
    await chat_settings.set_allowed(-5, None)
    assert await chat_settings.get_allowed(-5) is None
