"""The ledger: users, encrypted API keys, tasks and outputs in SQLite.

Imports only the standard library, aiosqlite and cryptography. Start with ``Ledger.open``
(or ``Database.open`` plus the repositories); see ``storage.states`` for the task lifecycle
and ``storage.errors`` for the error tree.
"""

from storage.crypto import KeyCipher, generate_master_key, split_master_keys
from storage.database import Database
from storage.errors import (
    IllegalTransitionError,
    KeyDecryptionError,
    MigrationError,
    StorageError,
    StorageUnavailableError,
    TaskNotFoundError,
)
from storage.keys import ApiKeys
from storage.ledger import Ledger
from storage.outputs import Outputs
from storage.presets import ChatSettings, Presets
from storage.records import ApiKeyRecord, NewOutput, Output, Preset, Task, User
from storage.states import TaskState, check_transition
from storage.tasks import TaskFields, Tasks
from storage.users import Users

__all__ = [
    "ApiKeyRecord",
    "ApiKeys",
    "ChatSettings",
    "Database",
    "IllegalTransitionError",
    "KeyCipher",
    "KeyDecryptionError",
    "Ledger",
    "MigrationError",
    "NewOutput",
    "Output",
    "Outputs",
    "Preset",
    "Presets",
    "StorageError",
    "StorageUnavailableError",
    "Task",
    "TaskFields",
    "TaskNotFoundError",
    "TaskState",
    "Tasks",
    "User",
    "Users",
    "check_transition",
    "generate_master_key",
    "split_master_keys",
]
