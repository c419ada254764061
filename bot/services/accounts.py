"""Accounts: users' languages and their RunningHub keys (validated, stored encrypted)."""

from __future__ import annotations

import logging
import re

from bot.errors import KeyRejectedError, NoKeyError, RemoteError
from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import (
    FREE_ACCOUNT_CODE,
    AuthenticationError,
    BillingError,
    RunningHubError,
)
from bot.runninghub.models import AccountStatus
from storage.keys import ApiKeys
from storage.users import Users

log = logging.getLogger(__name__)
_KEY_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


class Accounts:
    """Use cases around a user: language, API key, balance."""

    def __init__(self, users: Users, keys: ApiKeys, client: RunningHubClient) -> None:
        self._users = users
        self._keys = keys
        self._client = client

    async def seen(self, user_id: int, client_language: str | None) -> str | None:
        """Record that the user was seen; return their chosen language (None = Telegram's)."""
        user = await self._users.ensure(user_id, client_language)
        return user.language

    async def set_language(self, user_id: int, language: str | None) -> None:
        """Store the user's language choice (None returns to Telegram's language)."""
        await self._users.ensure(user_id, None)
        await self._users.set_language(user_id, language)

    async def set_key(self, user_id: int, api_key: str) -> str:
        """Validate the key with RunningHub, store it encrypted and return its fingerprint."""
        api_key = api_key.strip()
        if not _KEY_SHAPE.match(api_key):
            raise KeyRejectedError("key.rejected_format")
        try:
            await self._client.account_status(api_key)
        except AuthenticationError:
            raise KeyRejectedError("key.rejected_invalid") from None
        except BillingError as exc:
            if exc.code == FREE_ACCOUNT_CODE:
                raise KeyRejectedError("key.rejected_free") from None
        except RunningHubError:
            raise RemoteError("remote.key_check_failed") from None
        record = await self._keys.store(user_id, api_key)
        await self._keys.mark_validated(user_id)
        log.info("user %s stored an API key ending %s", user_id, record.fingerprint)
        return record.fingerprint

    async def delete_key(self, user_id: int) -> bool:
        """Forget the user's key; True if there was one."""
        return await self._keys.delete(user_id)

    async def require_key(self, user_id: int) -> str:
        """Return the user's decrypted key or raise NoKeyError."""
        api_key = await self._keys.load(user_id)
        if api_key is None:
            raise NoKeyError()
        return api_key

    async def has_key(self, user_id: int) -> bool:
        """True when the user has a readable key."""
        return await self._keys.load(user_id) is not None

    async def balance(self, user_id: int) -> AccountStatus:
        """The user's coins, running tasks and key type."""
        api_key = await self.require_key(user_id)
        try:
            return await self._client.account_status(api_key)
        except AuthenticationError:
            raise KeyRejectedError("key.rejected_invalid") from None
        except RunningHubError:
            raise RemoteError("remote.transient") from None

    async def language_of(self, user_id: int) -> str | None:
        """The language to write to a user in when they are not the one asking (notifications)."""
        user = await self._users.get(user_id)
        if user is None:
            return None
        return user.language or user.client_language
