"""Sharing: what inline mode offers a user — their tasks and the results already on Telegram.

Answered from the ledger alone (no RunningHub call), so it is quick and never spends coins.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.outputs import Outputs
from storage.presets import Presets
from storage.records import Output, Task
from storage.tasks import Tasks


@dataclass(frozen=True, slots=True)
class Shareable:
    """A task and those of its outputs that Telegram already has (by file id)."""

    task: Task
    files: tuple[Output, ...]


class Sharing:
    """Finds a user's tasks for inline queries."""

    def __init__(self, tasks: Tasks, outputs: Outputs, presets: Presets) -> None:
        self._tasks = tasks
        self._outputs = outputs
        self._presets = presets

    async def find(self, user_id: int, query: str, limit: int = 20) -> list[Shareable]:
        """The user's tasks matching a task id, a workflow id or a preset name (recent if empty)."""
        text = query.strip()
        if not text:
            tasks = await self._tasks.recent(user_id, limit)
        else:
            tasks = await self._tasks.search(user_id, text, limit)
            preset = await self._presets.get("user", user_id, text.lower())
            if preset is not None:
                known = {t.task_id for t in tasks}
                tasks += [
                    t
                    for t in await self._tasks.search(user_id, preset.workflow_id, limit)
                    if t.task_id not in known
                ]
        found = []
        for task in tasks[:limit]:
            outputs = await self._outputs.for_task(task.task_id)
            files = tuple(o for o in outputs if o.telegram_file_id)
            found.append(Shareable(task, files))
        return found
