"""Ledger types handlers may see, re-exported so that handlers never import `storage`."""

from storage.errors import StorageError
from storage.records import Output, Task, TaskState

__all__ = ["Output", "StorageError", "Task", "TaskState"]
