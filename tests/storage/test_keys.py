"""ApiKeys: encrypted at rest, bound to their owner, rotated under a new master key."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage.cli import gen_key, rotate_keys, rotate_keys_main
from storage.crypto import KeyCipher, generate_master_key
from storage.database import Database
from storage.keys import ApiKeys

if TYPE_CHECKING:
    from tests.storage.conftest import FakeClock

KEYS = {
    1: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    2: "ffeeddccbbaa99887766554433221100",
    3: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
}


def _wal_bytes(db_path: Path) -> bytes:
    return db_path.with_name(db_path.name + "-wal").read_bytes()


def _raw_bytes(db_path: Path) -> bytes:
    parts = [db_path, db_path.with_name(db_path.name + "-wal")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


async def test_store_and_load_round_trip(api_keys: ApiKeys, clock: FakeClock) -> None:
    """A stored key loads back as the same string; the record shows only a fingerprint."""
    record = await api_keys.store(1, KEYS[1])
    assert await api_keys.load(1) == KEYS[1]
    assert record.fingerprint == "…8f90"
    assert record.stored_at == clock.now
    assert record.validated_at is None
    assert KEYS[1] not in repr(record)
    assert await api_keys.record(1) == record


async def test_missing_key_loads_as_none(api_keys: ApiKeys) -> None:
    """A user without a key has no record and loads None."""
    assert await api_keys.load(5) is None
    assert await api_keys.record(5) is None


async def test_empty_key_is_refused(api_keys: ApiKeys) -> None:
    """An empty key is a ValueError, not a stored row."""
    with pytest.raises(ValueError, match="empty"):
        await api_keys.store(1, "")
    assert await api_keys.record(1) is None


async def test_no_plaintext_in_database_or_wal_files(
    api_keys: ApiKeys, db: Database, db_path: Path
) -> None:
    """After writes, neither the database file nor its WAL contains any key or a long piece."""
    for user_id, key in KEYS.items():
        await api_keys.store(user_id, key)
    assert db_path.name + "-wal" in os.listdir(db_path.parent)
    stored = await db.fetchone("SELECT ciphertext FROM api_keys WHERE user_id = 3")
    assert stored is not None
    assert stored[0] in _wal_bytes(db_path)  # the scan covers where the writes really are
    for phase in ("open", "closed"):
        raw = _raw_bytes(db_path)
        assert raw, phase
        for key in KEYS.values():
            for start in range(len(key) - 8 + 1):
                assert key[start : start + 8].encode() not in raw, phase
            assert key.encode("utf-16-le") not in raw
        if phase == "open":
            await db.close()


async def test_same_key_stored_twice_gives_different_ciphertexts(
    api_keys: ApiKeys, db: Database
) -> None:
    """Storing the same key again (or for two users) never repeats a ciphertext."""
    await api_keys.store(1, KEYS[1])
    first = await db.fetchone("SELECT ciphertext FROM api_keys WHERE user_id = 1")
    await api_keys.store(1, KEYS[1])
    await api_keys.store(2, KEYS[1])
    rows = await db.fetchall("SELECT ciphertext FROM api_keys ORDER BY user_id")
    assert first is not None
    blobs = [first[0], *(row[0] for row in rows)]
    assert len(set(blobs)) == 3


async def test_swapped_rows_read_as_no_key(
    api_keys: ApiKeys, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A ciphertext moved to another user's row loads as None, with a warning free of secrets."""
    await api_keys.store(1, KEYS[1])
    await api_keys.store(2, KEYS[2])
    rows = await db.fetchall("SELECT user_id, ciphertext FROM api_keys ORDER BY user_id")
    async with db.transaction() as conn:
        for user_id, blob in ((1, rows[1][1]), (2, rows[0][1])):
            await conn.execute(
                "UPDATE api_keys SET ciphertext = ? WHERE user_id = ?", (blob, user_id)
            )
    with caplog.at_level(logging.WARNING, logger="storage.keys"):
        assert await api_keys.load(1) is None
        assert await api_keys.load(2) is None
    assert "user 1" in caplog.text
    for key in KEYS.values():
        assert key not in caplog.text


async def test_wrong_master_key_reads_as_no_key(
    api_keys: ApiKeys, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Keys stored under one master key load as None under another, with a warning."""
    await api_keys.store(1, KEYS[1])
    stranger = ApiKeys(db, KeyCipher([generate_master_key()]))
    with caplog.at_level(logging.WARNING, logger="storage.keys"):
        assert await stranger.load(1) is None
    assert "no configured master key" in caplog.text


async def test_store_replaces_key_and_resets_validation(
    api_keys: ApiKeys, clock: FakeClock
) -> None:
    """A new key replaces the old one and must be validated again."""
    await api_keys.store(1, KEYS[1])
    assert await api_keys.mark_validated(1)
    validated = await api_keys.record(1)
    assert validated is not None
    assert validated.validated_at == clock.now
    clock.advance(10)
    record = await api_keys.store(1, KEYS[2])
    assert await api_keys.load(1) == KEYS[2]
    assert record.validated_at is None
    assert record.stored_at == clock.now


async def test_mark_validated_and_delete(api_keys: ApiKeys) -> None:
    """mark_validated and delete report whether a key existed."""
    assert not await api_keys.mark_validated(1)
    assert not await api_keys.delete(1)
    await api_keys.store(1, KEYS[1])
    assert await api_keys.mark_validated(1, at=123.0)
    record = await api_keys.record(1)
    assert record is not None
    assert record.validated_at == 123.0
    assert await api_keys.delete(1)
    assert await api_keys.load(1) is None


async def test_key_ref_groups_users_sharing_a_key(api_keys: ApiKeys) -> None:
    """Two users with the same key share a key_ref; a different key has another."""
    one = await api_keys.store(1, KEYS[1])
    two = await api_keys.store(2, KEYS[1])
    three = await api_keys.store(3, KEYS[3])
    assert one.key_ref == two.key_ref != three.key_ref


async def test_rotate_all_reencrypts_under_newest_key(db: Database, master_key: str) -> None:
    """After rotation every key is under the new master key and loads without the old one."""
    old = ApiKeys(db, KeyCipher([master_key]))
    for user_id, key in KEYS.items():
        await old.store(user_id, key)
    new_master = generate_master_key()
    both = ApiKeys(db, KeyCipher([new_master, master_key]))
    assert await both.rotate_all() == len(KEYS)
    assert await both.rotate_all() == 0
    only_new = ApiKeys(db, KeyCipher([new_master]))
    for user_id, key in KEYS.items():
        assert await only_new.load(user_id) == key
        record = await only_new.record(user_id)
        assert record is not None
        assert record.key_version == KeyCipher([new_master]).newest_version
        assert record.key_ref == KeyCipher([new_master]).key_ref(key)
    assert await old.load(1) is None


async def test_rotate_all_skips_undecryptable_keys(
    db: Database, master_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A key under a forgotten master key is logged and left alone; the others rotate."""
    forgotten = ApiKeys(db, KeyCipher([generate_master_key()]))
    await forgotten.store(1, KEYS[1])
    await ApiKeys(db, KeyCipher([master_key])).store(2, KEYS[2])
    rotating = ApiKeys(db, KeyCipher([generate_master_key(), master_key]))
    with caplog.at_level(logging.WARNING, logger="storage.keys"):
        assert await rotating.rotate_all() == 1
    assert "user 1" in caplog.text
    assert await forgotten.load(1) == KEYS[1]
    assert await rotating.load(2) == KEYS[2]


async def test_rotate_all_walks_every_batch(db: Database, master_key: str) -> None:
    """Rotation covers more rows than one batch holds."""
    old_cipher = KeyCipher([master_key])
    async with db.transaction() as conn:
        for user_id in range(1, 251):
            blob, version = old_cipher.encrypt(user_id, f"key-{user_id:028d}")
            await conn.execute("INSERT INTO users (user_id, created_at) VALUES (?, 0)", (user_id,))
            await conn.execute(
                "INSERT INTO api_keys (user_id, ciphertext, key_version, fingerprint, key_ref,"
                " stored_at) VALUES (?, ?, ?, '…', 'r', 0)",
                (user_id, blob, version),
            )
    new_master = generate_master_key()
    assert await ApiKeys(db, KeyCipher([new_master, master_key])).rotate_all() == 250
    assert await ApiKeys(db, KeyCipher([new_master])).load(250) == f"key-{250:028d}"


async def test_rotate_keys_cli_end_to_end(db_path: Path, master_key: str) -> None:
    """gen-key plus rotate-keys (async and sync entry points) re-encrypt and report counts."""
    db = await Database.open(db_path)
    for user_id, key in KEYS.items():
        await ApiKeys(db, KeyCipher([master_key])).store(user_id, key)
    await db.close()
    new_master = gen_key()
    assert await rotate_keys(db_path, [new_master, master_key]) == len(KEYS)
    newer = gen_key()
    assert await rotate_keys(db_path, [newer, new_master]) == len(KEYS)
    db = await Database.open(db_path)
    assert await ApiKeys(db, KeyCipher([newer])).load(2) == KEYS[2]
    await db.close()


def test_rotate_keys_main_runs_its_own_event_loop(tmp_path: Path, master_key: str) -> None:
    """The synchronous CLI entry point rotates keys written by an earlier run."""
    path = tmp_path / "cli.sqlite3"
    cipher = KeyCipher([master_key])
    conn = sqlite3.connect(path)
    conn.close()  # an empty file: rotate_keys_main migrates it first
    assert rotate_keys_main(path, [master_key]) == 0
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        blob, version = cipher.encrypt(9, KEYS[1])
        conn.execute("INSERT INTO users (user_id, created_at) VALUES (9, 0)")
        conn.execute(
            "INSERT INTO api_keys (user_id, ciphertext, key_version, fingerprint, key_ref,"
            " stored_at) VALUES (9, ?, ?, '…', 'r', 0)",
            (blob, version),
        )
    finally:
        conn.close()
    assert rotate_keys_main(path, [gen_key(), master_key]) == 1
