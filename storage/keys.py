"""Per-user RunningHub API keys, encrypted at rest (see ``storage.crypto``).

Beside the ciphertext only display and grouping data is stored: the key version, a short
fingerprint and a keyed HMAC (``key_ref``) that says whether two users share a key without
revealing it. A key that cannot be decrypted reads as "no key set".
"""

from __future__ import annotations

import logging
import sqlite3
import time

from storage.crypto import KeyCipher
from storage.database import Database
from storage.errors import KeyDecryptionError
from storage.records import ApiKeyRecord, Clock
from storage.users import insert_user_if_missing

log = logging.getLogger(__name__)

_SELECT = "SELECT * FROM api_keys WHERE user_id = ?"
_BATCH = 100


def _record(row: sqlite3.Row) -> ApiKeyRecord:
    return ApiKeyRecord(
        user_id=row["user_id"],
        key_version=row["key_version"],
        fingerprint=row["fingerprint"],
        key_ref=row["key_ref"],
        stored_at=row["stored_at"],
        validated_at=row["validated_at"],
    )


class ApiKeys:
    """The ``api_keys`` table: one encrypted key per user."""

    def __init__(self, db: Database, cipher: KeyCipher, clock: Clock = time.time) -> None:
        self._db = db
        self._cipher = cipher
        self._clock = clock

    async def store(self, user_id: int, plaintext: str) -> ApiKeyRecord:
        """Encrypt and store (or replace) the user's key; returns what display needs."""
        if not plaintext:
            raise ValueError("API key must not be empty")
        blob, version = self._cipher.encrypt(user_id, plaintext)
        ref = self._cipher.key_ref(plaintext)
        now = self._clock()
        async with self._db.transaction() as conn:
            await insert_user_if_missing(conn, user_id, now)
            await conn.execute_fetchall(
                "INSERT INTO api_keys"
                " (user_id, ciphertext, key_version, fingerprint, key_ref, stored_at, validated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, NULL)"
                " ON CONFLICT (user_id) DO UPDATE SET ciphertext = excluded.ciphertext,"
                " key_version = excluded.key_version, fingerprint = excluded.fingerprint,"
                " key_ref = excluded.key_ref, stored_at = excluded.stored_at, validated_at = NULL",
                (user_id, blob, version, self._cipher.fingerprint(plaintext), ref, now),
            )
            rows = list(await conn.execute_fetchall(_SELECT, (user_id,)))
        return _record(rows[0])

    async def record(self, user_id: int) -> ApiKeyRecord | None:
        """Return what is known about the user's key without decrypting it."""
        row = await self._db.fetchone(_SELECT, (user_id,))
        return _record(row) if row is not None else None

    async def load(self, user_id: int) -> str | None:
        """Return the decrypted key, or None when none is set or it cannot be decrypted."""
        row = await self._db.fetchone(_SELECT, (user_id,))
        if row is None:
            return None
        try:
            return self._cipher.decrypt(user_id, row["ciphertext"], row["key_version"])
        except KeyDecryptionError as exc:
            log.warning("API key of user %d unreadable, treated as not set: %s", user_id, exc)
            return None

    async def delete(self, user_id: int) -> bool:
        """Forget the user's key; True if there was one."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM api_keys WHERE user_id = ?", (user_id,))
            return cursor.rowcount > 0

    async def mark_validated(self, user_id: int, at: float | None = None) -> bool:
        """Record that the key was accepted by RunningHub; True if a key was there."""
        when = self._clock() if at is None else at
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE api_keys SET validated_at = ? WHERE user_id = ?", (when, user_id)
            )
            return cursor.rowcount > 0

    async def rotate_all(self) -> int:
        """Re-encrypt every key not under the newest master key; return how many were done.

        Works in small batches; a key that cannot be decrypted is logged and left alone.
        """
        newest = self._cipher.newest_version
        done, after = 0, -(2**63)
        while True:
            rows = await self._db.fetchall(
                "SELECT user_id, ciphertext, key_version FROM api_keys"
                " WHERE key_version != ? AND user_id > ?"
                " ORDER BY user_id LIMIT ?",
                (newest, after, _BATCH),
            )
            if not rows:
                return done
            after = rows[-1]["user_id"]
            done += await self._rotate_batch(rows)

    async def _rotate_batch(self, rows: list[sqlite3.Row]) -> int:
        updates: list[tuple[bytes, str, str, int, bytes]] = []
        for row in rows:
            user_id, old_blob = row["user_id"], row["ciphertext"]
            try:
                plaintext = self._cipher.decrypt(user_id, old_blob, row["key_version"])
            except KeyDecryptionError as exc:
                log.warning("cannot rotate API key of user %d: %s", user_id, exc)
                continue
            blob, version = self._cipher.encrypt(user_id, plaintext)
            updates.append((blob, version, self._cipher.key_ref(plaintext), user_id, old_blob))
        done = 0
        async with self._db.transaction() as conn:
            for update in updates:
                cursor = await conn.execute(
                    "UPDATE api_keys SET ciphertext = ?, key_version = ?, key_ref = ?"
                    " WHERE user_id = ? AND ciphertext = ?",  # unless replaced meanwhile
                    update,
                )
                done += cursor.rowcount
        return done
