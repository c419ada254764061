"""The schema, as ordered and named migrations. Never edit a released migration: add one.

Each migration is a tuple of single statements (``executescript`` would commit early), run
in its own ``BEGIN IMMEDIATE`` transaction together with its record in ``schema_migrations``
and the ``user_version`` bump. A checksum of the statements is recorded, so an edited
migration is detected when a database that already applied it is opened.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its version (1, 2, ...), a name, and its statements."""

    version: int
    name: str
    statements: tuple[str, ...]

    @property
    def checksum(self) -> str:
        """SHA-256 of the statements, to detect a migration edited after release."""
        return hashlib.sha256("\n;\n".join(self.statements).encode()).hexdigest()


# Part of migration 0001: frozen with it. A new state needs a new migration.
_STATES = (
    "'PENDING', 'SUBMITTING', 'QUEUED', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED', "
    "'TIMED_OUT', 'UNKNOWN'"
)

BASE = Migration(
    1,
    "0001_base",
    (
        """CREATE TABLE users (
            user_id INTEGER PRIMARY KEY,
            language TEXT,
            client_language TEXT,
            created_at REAL NOT NULL
        )""",
        """CREATE TABLE api_keys (
            user_id INTEGER PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
            ciphertext BLOB NOT NULL,
            key_version TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            key_ref TEXT NOT NULL,
            stored_at REAL NOT NULL,
            validated_at REAL
        )""",
        "CREATE INDEX api_keys_by_ref ON api_keys (key_ref)",
        f"""CREATE TABLE tasks (
            task_id INTEGER PRIMARY KEY AUTOINCREMENT,
            owner_id INTEGER NOT NULL REFERENCES users(user_id),
            chat_id INTEGER NOT NULL,
            thread_id INTEGER,
            command_message_id INTEGER NOT NULL,
            status_message_id INTEGER,
            workflow_id TEXT NOT NULL,
            inputs TEXT NOT NULL,
            remote_id TEXT,
            state TEXT NOT NULL CHECK (state IN ({_STATES})),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_poll_at REAL,
            error_text TEXT,
            cost_coins REAL,
            cost_seconds REAL,
            submitted_at REAL,
            delivered_at REAL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (chat_id, command_message_id)
        )""",
        """CREATE INDEX tasks_due ON tasks (next_poll_at)
            WHERE state IN ('QUEUED', 'RUNNING')""",
        "CREATE INDEX tasks_by_owner ON tasks (owner_id, task_id)",
        "CREATE INDEX tasks_by_state ON tasks (state, task_id)",
        "CREATE INDEX tasks_by_remote_id ON tasks (remote_id, owner_id)",
        """CREATE INDEX tasks_undelivered ON tasks (task_id)
            WHERE delivered_at IS NULL
            AND state IN ('SUCCESS', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'UNKNOWN')""",
        """CREATE TABLE outputs (
            output_id INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id INTEGER NOT NULL REFERENCES tasks(task_id) ON DELETE CASCADE,
            idx INTEGER NOT NULL CHECK (idx >= 0),
            url TEXT,
            file_type TEXT NOT NULL DEFAULT '',
            node_id TEXT,
            text TEXT,
            size_bytes INTEGER,
            delivered_at REAL,
            telegram_file_id TEXT,
            delivered_kind TEXT,
            created_at REAL NOT NULL,
            UNIQUE (task_id, idx)
        )""",
    ),
)

PRESETS_AND_CHAT_SETTINGS = Migration(
    2,
    "0002_presets_and_chat_settings",
    (
        """CREATE TABLE presets (
            preset_id INTEGER PRIMARY KEY AUTOINCREMENT,
            scope_kind TEXT NOT NULL CHECK (scope_kind IN ('user', 'chat')),
            scope_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            workflow_id TEXT NOT NULL,
            defaults TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (scope_kind, scope_id, name)
        )""",
        """CREATE TABLE chat_settings (
            chat_id INTEGER PRIMARY KEY,
            allowed_workflows TEXT,
            updated_at REAL NOT NULL
        )""",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (BASE, PRESETS_AND_CHAT_SETTINGS)
