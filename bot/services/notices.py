"""What the ledger's `error_text` holds: a message key and its parameters, as JSON.

Services cannot speak a language; they record *which* sentence applies and handlers render it
in the user's language when the notice is delivered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bot.runninghub.models import FailureReason


@dataclass(frozen=True, slots=True)
class Notice:
    """A message key with its placeholders."""

    key: str
    params: dict[str, str] = field(default_factory=dict)

    def encode(self) -> str:
        """Serialise for the ledger."""
        return json.dumps({"key": self.key, "params": self.params}, ensure_ascii=False)


def decode(text: str | None) -> Notice | None:
    """Parse a stored notice; plain text (older rows) becomes a generic notice."""
    if not text:
        return None
    try:
        data = json.loads(text)
        return Notice(str(data["key"]), {str(k): str(v) for k, v in data["params"].items()})
    except (ValueError, KeyError, TypeError, AttributeError):
        return Notice("task.failed_generic", {"detail": text[:300]})


def failure_notice(failure: FailureReason | None) -> Notice:
    """The notice for a task that failed inside ComfyUI, with a hint when one helps."""
    if failure is None:
        return Notice("task.failed_generic", {"detail": "-"})
    node = failure.node_name or "?"
    if failure.node_id:
        node = f"{node} (#{failure.node_id})"
    message = failure.message.strip().splitlines()[-1] if failure.message.strip() else "-"
    params = {
        "node": node,
        "error": (f"{failure.exception_type}: " if failure.exception_type else "") + message[:300],
    }
    lowered = failure.message.lower()
    if "out of memory" in lowered or "oom" in lowered.split():
        return Notice("task.failed_oom", params)
    return Notice("task.failed_node", params)
