"""KeyCipher: AES-256-GCM bound to user and key version, master-key parsing, rotation."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.crypto import (
    KeyCipher,
    fingerprint,
    generate_master_key,
    split_master_keys,
)
from storage.errors import KeyDecryptionError

API_KEY = "0123456789abcdef0123456789abcdef"
USER_IDS = st.integers(min_value=-(2**63), max_value=2**63 - 1)


def test_round_trip_returns_the_plaintext(cipher: KeyCipher) -> None:
    """A key encrypted for a user decrypts to the same key for that user."""
    blob, version = cipher.encrypt(42, API_KEY)
    assert cipher.decrypt(42, blob, version) == API_KEY


def test_same_key_twice_gives_different_ciphertexts(cipher: KeyCipher) -> None:
    """A fresh random nonce makes two encryptions of the same key differ."""
    first, _ = cipher.encrypt(42, API_KEY)
    second, _ = cipher.encrypt(42, API_KEY)
    assert first != second
    assert first[:12] != second[:12]
    assert len(first) == 12 + len(API_KEY) + 16


def test_ciphertext_of_another_user_fails(cipher: KeyCipher) -> None:
    """A blob moved to another user's row fails: the user id is associated data."""
    blob, version = cipher.encrypt(42, API_KEY)
    with pytest.raises(KeyDecryptionError, match="does not belong"):
        cipher.decrypt(43, blob, version)


def test_wrong_master_key_fails_cleanly(cipher: KeyCipher) -> None:
    """A blob read under a different master key raises KeyDecryptionError, never garbage."""
    blob, version = cipher.encrypt(42, API_KEY)
    other = KeyCipher([generate_master_key()])
    with pytest.raises(KeyDecryptionError, match="no configured master key"):
        other.decrypt(42, blob, version)


def test_version_label_is_bound_to_the_blob(master_key: str) -> None:
    """Claiming another (known) version for a blob fails: the version is associated data."""
    older = generate_master_key()
    both = KeyCipher([master_key, older])
    blob, version = both.encrypt(7, API_KEY)
    other_version = next(v for v in both.versions if v != version)
    with pytest.raises(KeyDecryptionError):
        both.decrypt(7, blob, other_version)


def test_tampered_or_truncated_blob_fails(cipher: KeyCipher) -> None:
    """Flipping a bit or cutting the blob short is detected."""
    blob, version = cipher.encrypt(1, API_KEY)
    flipped = bytes([blob[0]]) + bytes([blob[1] ^ 1]) + blob[2:]
    with pytest.raises(KeyDecryptionError):
        cipher.decrypt(1, blob[:-1] + bytes([blob[-1] ^ 0x80]), version)
    with pytest.raises(KeyDecryptionError):
        cipher.decrypt(1, flipped, version)
    with pytest.raises(KeyDecryptionError, match="truncated"):
        cipher.decrypt(1, blob[:20], version)


def test_rotation_keeps_old_blobs_readable_and_encrypts_with_newest(master_key: str) -> None:
    """With a new key prepended, old blobs still decrypt and new ones use the new version."""
    old = KeyCipher([master_key])
    blob, old_version = old.encrypt(5, API_KEY)
    rotated = KeyCipher([generate_master_key(), master_key])
    assert rotated.decrypt(5, blob, old_version) == API_KEY
    _, new_version = rotated.encrypt(5, API_KEY)
    assert new_version == rotated.newest_version != old_version
    assert rotated.versions == (new_version, old_version)


def test_version_is_stable_for_a_master_key(master_key: str) -> None:
    """The version id depends only on the master key, not on its position or instance."""
    other = generate_master_key()
    assert KeyCipher([master_key]).newest_version == KeyCipher([master_key]).newest_version
    assert KeyCipher([other, master_key]).versions[1] == KeyCipher([master_key]).newest_version
    assert len(KeyCipher([master_key]).newest_version) == 8


@pytest.mark.parametrize(
    "bad",
    [
        "not-base64!!",
        base64.urlsafe_b64encode(b"x" * 31).decode(),
        base64.urlsafe_b64encode(b"x" * 33).decode(),
        "",
        base64.b64encode(b"\xfb" * 32).decode(),  # standard alphabet ('+', '/'), not urlsafe
    ],
)
def test_malformed_master_key_is_rejected_without_echoing_it(bad: str) -> None:
    """A malformed master key raises ValueError whose message does not contain the value."""
    with pytest.raises(ValueError, match="master key #2") as info:
        KeyCipher([generate_master_key(), bad])
    if bad:
        assert bad not in str(info.value)


def test_master_key_list_is_validated() -> None:
    """No keys, a bare string, or the same key twice are refused."""
    key = generate_master_key()
    with pytest.raises(ValueError, match="at least one"):
        KeyCipher([])
    with pytest.raises(TypeError):
        KeyCipher(key)
    with pytest.raises(ValueError, match="twice"):
        KeyCipher([key, key])


def test_master_key_without_padding_or_with_spaces_is_accepted(master_key: str) -> None:
    """Padding may be dropped and surrounding whitespace is ignored."""
    loose = KeyCipher([f"  {master_key.rstrip('=')}\n"])
    assert loose.newest_version == KeyCipher([master_key]).newest_version


def test_generated_master_key_is_32_urlsafe_bytes() -> None:
    """gen-key output decodes to 32 bytes and differs every time."""
    key = generate_master_key()
    assert len(base64.urlsafe_b64decode(key)) == 32
    assert key != generate_master_key()


def test_split_master_keys_reads_commas_and_whitespace() -> None:
    """BOT_MASTER_KEY may list several keys separated by commas or whitespace, newest first."""
    assert split_master_keys(" a, b\nc ,, ") == ["a", "b", "c"]
    assert split_master_keys("") == []


def test_fingerprint_shows_only_a_short_tail() -> None:
    """The fingerprint is "…" plus the last 4 characters, and nothing for short keys."""
    assert fingerprint(API_KEY) == "…cdef"
    assert fingerprint("short-key") == "…"


def test_key_ref_matches_equal_keys_only_under_the_same_master(master_key: str) -> None:
    """key_ref is equal for equal keys, differs for other keys and for other master keys."""
    cipher = KeyCipher([master_key])
    assert cipher.key_ref(API_KEY) == KeyCipher([master_key]).key_ref(API_KEY)
    assert cipher.key_ref(API_KEY) != cipher.key_ref(API_KEY[::-1])
    assert cipher.key_ref(API_KEY) != KeyCipher([generate_master_key()]).key_ref(API_KEY)
    assert API_KEY not in cipher.key_ref(API_KEY)


def test_repr_reveals_no_secret(master_key: str) -> None:
    """repr(KeyCipher) shows versions only, never master key material."""
    cipher = KeyCipher([master_key])
    text = repr(cipher)
    assert cipher.newest_version in text
    assert master_key not in text
    assert master_key.rstrip("=")[:16] not in text


@settings(max_examples=60, deadline=None)
@given(user_id=USER_IDS, other=USER_IDS, plaintext=st.text(min_size=1, max_size=200))
def test_any_key_round_trips_only_for_its_owner(user_id: int, other: int, plaintext: str) -> None:
    """For any key text and any user ids, decryption succeeds for the owner alone."""
    cipher = KeyCipher([generate_master_key()])
    blob, version = cipher.encrypt(user_id, plaintext)
    assert cipher.decrypt(user_id, blob, version) == plaintext
    if other != user_id:
        with pytest.raises(KeyDecryptionError):
            cipher.decrypt(other, blob, version)
