"""Domain errors raised by services and turned into one message key by `handlers/errors.py`.

```
BotError                  base: `key` is the message key, `params` fill its placeholders
├── NoKeyError            the user has no (readable) RunningHub key
├── KeyRejectedError      RunningHub refused the key given to /setkey (`reason`: invalid, free, …)
├── TaskNotFoundError     no such task for this user (someone else's task looks exactly the same)
├── NotAllowedError       the operator or the chat's administrators do not allow this
├── RemoteError           RunningHub refused or failed a call (`key` names which kind)
└── InputError            a media input could not be used (too large, not downloadable)
```
"""

from __future__ import annotations


class BotError(Exception):
    """A failure the user is told about in one sentence from the catalogue."""

    key = "error.generic"

    def __init__(self, key: str | None = None, **params: object) -> None:
        super().__init__(key or self.key)
        if key is not None:
            self.key = key
        self.params: dict[str, object] = params


class NoKeyError(BotError):
    """The user has not stored an API key, or it can no longer be decrypted."""

    key = "key.missing"


class KeyRejectedError(BotError):
    """RunningHub did not accept the key; `key` says why."""

    key = "key.rejected_invalid"


class TaskNotFoundError(BotError):
    """The task does not exist for this user."""

    key = "task.not_found"


class NotAllowedError(BotError):
    """The user or chat may not do this."""

    key = "error.not_allowed"


class RemoteError(BotError):
    """RunningHub refused or failed a call."""

    key = "remote.transient"


class InputError(BotError):
    """An input file could not be used."""

    key = "input.unusable"
