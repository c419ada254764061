"""API keys at rest: AES-256-GCM under HKDF subkeys of the master keys in BOT_MASTER_KEY.

A blob is ``nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)``; the associated data binds it to
the owner's user id and the key version, so a blob copied to another user's row, or read
under a master key that is not the one that wrote it, fails with ``KeyDecryptionError``.

The key version is a stable id of the master key (8 hex chars of an HKDF output), so
prepending a new master key to the list keeps old blobs readable until ``rotate-keys``.
Nothing here ever puts a key, master key or plaintext into a message or a repr.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import KeyDecryptionError

NONCE_BYTES = 12
TAG_BYTES = 16
_INFO_ID = b"runninghub-bot/master-key-id/v1"
_INFO_ENC = b"runninghub-bot/api-key-encryption/v1"
_INFO_REF = b"runninghub-bot/api-key-ref/v1"


def generate_master_key() -> str:
    """Return a fresh master key: 32 random bytes, urlsafe base64."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def split_master_keys(raw: str) -> list[str]:
    """Split a BOT_MASTER_KEY value (comma- or whitespace-separated, newest first)."""
    return [part for part in re.split(r"[\s,]+", raw) if part]


def fingerprint(plaintext: str) -> str:
    """Return a display hint: "…" plus the last 4 characters (none for keys under 12)."""
    return "…" + (plaintext[-4:] if len(plaintext) >= 12 else "")


def _derive(master: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(master)


def _decode_master(value: str, position: int) -> bytes:
    text = value.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32 or not re.fullmatch(r"[A-Za-z0-9_-]+=*", text):
        raise ValueError(
            f"master key #{position} is not a urlsafe-base64 32-byte secret "
            "(generate one with `runninghub-bot gen-key`)"
        )
    return raw


def _aad(user_id: int, version: str) -> bytes:
    return f"runninghub-bot/api-key|user:{user_id}|kv:{version}".encode()


class KeyCipher:
    """Encrypts API keys with the newest master key and decrypts with whichever matches."""

    __slots__ = ("_ciphers", "_newest", "_ref_key")

    def __init__(self, master_keys: Sequence[str]) -> None:
        if isinstance(master_keys, str):
            raise TypeError("master_keys must be a list of keys, newest first")
        if not master_keys:
            raise ValueError("at least one master key is required")
        self._ciphers: dict[str, AESGCM] = {}
        for position, value in enumerate(master_keys, start=1):
            master = _decode_master(value, position)
            version = _derive(master, _INFO_ID, 4).hex()
            if version in self._ciphers:
                raise ValueError(f"master key #{position} is listed twice")
            self._ciphers[version] = AESGCM(_derive(master, _INFO_ENC, 32))
            if position == 1:
                self._newest = version
                self._ref_key = _derive(master, _INFO_REF, 32)

    def __repr__(self) -> str:
        return f"KeyCipher(versions={list(self._ciphers)})"

    @property
    def newest_version(self) -> str:
        """The version new encryptions get."""
        return self._newest

    @property
    def versions(self) -> tuple[str, ...]:
        """Versions this cipher can decrypt, newest first."""
        return tuple(self._ciphers)

    def encrypt(self, user_id: int, plaintext: str) -> tuple[bytes, str]:
        """Encrypt ``plaintext`` for ``user_id``; return ``(blob, key_version)``."""
        version = self._newest
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[version].encrypt(nonce, plaintext.encode(), _aad(user_id, version))
        return nonce + sealed, version

    def decrypt(self, user_id: int, blob: bytes, version: str) -> str:
        """Return the key stored for ``user_id``, or raise KeyDecryptionError."""
        cipher = self._ciphers.get(version)
        if cipher is None:
            raise KeyDecryptionError(f"no configured master key has version {version!r}")
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise KeyDecryptionError("stored API key blob is truncated")
        nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
        try:
            data = cipher.decrypt(nonce, sealed, _aad(user_id, version))
            return data.decode()
        except (InvalidTag, UnicodeDecodeError):
            raise KeyDecryptionError(
                "stored API key does not belong to this user or was altered"
            ) from None

    def key_ref(self, plaintext: str) -> str:
        """Return a keyed HMAC of ``plaintext``: equal keys match, offline guessing cannot."""
        digest = hmac.new(self._ref_key, plaintext.encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def fingerprint(self, plaintext: str) -> str:
        """Return the display hint for ``plaintext`` (see module-level ``fingerprint``)."""
        return fingerprint(plaintext)
