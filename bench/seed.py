"""Seeding the ledger before the bot starts: users with keys, and their PENDING tasks.

This is how a bench puts thousands of tasks in flight without typing thousands of /run
messages: the same rows `/setkey` and `/run` would write, through the storage API.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage.crypto import KeyCipher
from storage.database import Database
from storage.keys import ApiKeys
from storage.outputs import Outputs
from storage.records import NewOutput, TaskState
from storage.tasks import Tasks

SDXL_WORKFLOW = "1904136902449209346"  # the emulator's "SDXL demo": one PNG per run


@dataclass(frozen=True)
class Plan:
    """Who runs what where: one (owner, chat) pair per task, in submission order."""

    users: tuple[int, ...]
    groups: tuple[int, ...]
    tasks: tuple[tuple[int, int], ...]

    @property
    def per_user(self) -> int:
        """The most tasks any one user owns (the active limit the bot needs)."""
        counts: dict[int, int] = {}
        for owner, _ in self.tasks:
            counts[owner] = counts.get(owner, 0) + 1
        return max(counts.values(), default=1)


def private_plan(n_tasks: int, per_user: int, first_user: int = 10_001) -> Plan:
    """`n_tasks` tasks, `per_user` each, every user running in their private chat."""
    n_users = -(-n_tasks // per_user)
    users = tuple(range(first_user, first_user + n_users))
    tasks = tuple((users[i % n_users], users[i % n_users]) for i in range(n_tasks))
    return Plan(users, (), tasks)


def mixed_plan(n_tasks: int, n_chats: int, group_share: float, first_user: int = 10_001) -> Plan:
    """`n_tasks` spread round-robin over `n_chats` chats, `group_share` of them groups.

    Each chat has its own user; a group's user runs their tasks in the group.
    """
    n_groups = round(n_chats * group_share)
    users = tuple(range(first_user, first_user + n_chats))
    groups = tuple(-(1_000_000_000_000 + i) for i in range(n_groups))
    chats = [*groups, *users[n_groups:]]
    tasks = tuple((users[i % n_chats], chats[i % n_chats]) for i in range(n_tasks))
    return Plan(users, groups, tasks)


async def seed_ledger(
    path: Path,
    master_key: str,
    api_key: str,
    plan: Plan,
    finished: tuple[tuple[str, str], ...] = (),
) -> None:
    """Store every user's key (encrypted) and create the tasks of `plan`: PENDING, or —
    where `finished` gives a (RunningHub id, result URL) for it — SUCCESS and not delivered,
    the way the poller leaves a task that has just finished."""
    db = await Database.open(path)
    try:
        keys = ApiKeys(db, KeyCipher([master_key]))
        tasks, outputs = Tasks(db), Outputs(db)
        for user in plan.users:
            await keys.store(user, api_key)
        for number, (owner, chat) in enumerate(plan.tasks, start=1):
            task, _ = await tasks.create(
                owner_id=owner,
                chat_id=chat,
                thread_id=None,
                command_message_id=number,
                workflow_id=SDXL_WORKFLOW,
                inputs=[],
            )
            if number <= len(finished):
                remote_id, url = finished[number - 1]
                await tasks.transition(task.task_id, TaskState.SUBMITTING)
                await tasks.transition(task.task_id, TaskState.QUEUED, remote_id=remote_id)
                await outputs.add_many(task.task_id, [NewOutput(url=url, file_type="png")])
                await tasks.transition(task.task_id, TaskState.SUCCESS, cost_seconds=1.0)
    finally:
        await db.close()
