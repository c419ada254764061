"""Users: created on first sight, Telegram language tracked, chosen language kept apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.users import Users

if TYPE_CHECKING:
    from tests.storage.conftest import FakeClock


async def test_ensure_creates_once_and_tracks_client_language(
    users: Users, clock: FakeClock
) -> None:
    """ensure() inserts a missing user, then only updates Telegram's language code."""
    assert await users.get(1) is None
    created = await users.ensure(1, "en")
    assert (created.user_id, created.language, created.client_language) == (1, None, "en")
    assert created.created_at == clock.now
    clock.advance(10)
    assert await users.ensure(1, "en") == created
    assert await users.ensure(1) == created
    moved = await users.ensure(1, "ru")
    assert (moved.client_language, moved.created_at) == ("ru", created.created_at)
    assert await users.get(1) == moved


async def test_set_language_is_separate_from_client_language(users: Users) -> None:
    """The chosen language survives ensure(); None clears it; unknown users are created."""
    await users.ensure(1, "en")
    chosen = await users.set_language(1, "ru")
    assert (chosen.language, chosen.client_language) == ("ru", "en")
    assert (await users.ensure(1, "de")).language == "ru"
    cleared = await users.set_language(1, None)
    assert cleared.language is None
    fresh = await users.set_language(2, "en")
    assert (fresh.user_id, fresh.language, fresh.client_language) == (2, "en", None)
