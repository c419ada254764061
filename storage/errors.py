"""The storage error tree: one hierarchy, so callers catch exactly what they can act on.

    StorageError                    the ledger could not do what was asked
    ├── StorageUnavailableError     busy, locked, disk full, I/O: back off and retry later
    ├── MigrationError              the schema on disk does not match this code
    ├── IllegalTransitionError      a task state change the state machine forbids
    ├── TaskNotFoundError           no task with that id (for that owner)
    └── KeyDecryptionError          a stored API key cannot be decrypted: treat as "no key set"

Messages never contain API keys, master keys or ciphertexts; data is carried as attributes.
"""

from __future__ import annotations


class StorageError(Exception):
    """The ledger could not do what was asked."""


class StorageUnavailableError(StorageError):
    """SQLite is busy, locked, out of space or failing I/O; retrying later may succeed."""


class MigrationError(StorageError):
    """The schema on disk is newer than this code, was edited after release, or failed."""


class IllegalTransitionError(StorageError):
    """A task state change that the state machine forbids."""

    def __init__(self, task_id: int | None, old: str, new: str) -> None:
        self.task_id = task_id
        self.old = old
        self.new = new
        where = f"task {task_id}: " if task_id is not None else ""
        super().__init__(f"{where}illegal state transition {old} -> {new}")


class TaskNotFoundError(StorageError):
    """No task with that id exists (or it belongs to someone else)."""

    def __init__(self, task_id: int) -> None:
        self.task_id = task_id
        super().__init__(f"task {task_id} not found")


class KeyDecryptionError(StorageError):
    """A stored API key cannot be decrypted: moved row, tampering or unknown master key."""
