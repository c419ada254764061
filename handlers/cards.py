"""The status card: one message per task, rendered from the ledger, with its buttons.

Rendering is pure: the same task, position and clock give the same text, so the notifier can
skip edits that would change nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services.notices import decode
from bot.services.types import Task, TaskState

_ICON = {
    TaskState.PENDING: "⏳",
    TaskState.SUBMITTING: "📤",
    TaskState.QUEUED: "🕒",
    TaskState.RUNNING: "⚙️",
    TaskState.SUCCESS: "✅",
    TaskState.FAILED: "❌",
    TaskState.CANCELLED: "🚫",
    TaskState.TIMED_OUT: "⌛",
    TaskState.UNKNOWN: "❓",
}


def elapsed_text(seconds: float) -> str:
    """Elapsed time as m:ss (or h:mm:ss)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def state_line(task: Task, t: Translator, position: int | None) -> str:
    """The card's first line: icon and state, with the queue position while waiting."""
    if task.state is TaskState.PENDING and task.attempts > 0:
        label = t.t("card.state.PENDING_capacity", position=position or 1)
    elif task.state is TaskState.PENDING:
        label = t.t("card.state.PENDING", position=position or 1)
    else:
        label = t.t(f"card.state.{task.state.value}")
    return f"{_ICON[task.state]} {label}"


def render(task: Task, t: Translator, *, position: int | None, now: float) -> str:
    """The card's text."""
    lines = [
        state_line(task, t, position),
        t.t("card.workflow", workflow=task.workflow_id),
        t.t("card.task", task=task.task_id)
        + (" · " + t.t("card.remote", remote=task.remote_id) if task.remote_id else ""),
    ]
    if not task.state.is_terminal:
        lines.append(t.t("card.elapsed", elapsed=elapsed_text(now - task.created_at)))
    else:
        cost = cost_text(task, t)
        if cost:
            lines.append(cost)
        notice = decode(task.error_text)
        if notice is not None and task.state is not TaskState.SUCCESS:
            lines.append(t.t(notice.key, **notice.params))
    return "\n".join(lines)


def cost_text(task: Task, t: Translator) -> str:
    """'7 coins · 32 s' when RunningHub reported the cost, else ''."""
    parts = []
    if task.cost_coins is not None:
        parts.append(t.t("card.coins", coins=f"{task.cost_coins:g}"))
    if task.cost_seconds is not None:
        parts.append(t.t("card.seconds", seconds=f"{task.cost_seconds:g}"))
    return " · ".join(parts)


def buttons(task: Task, t: Translator) -> InlineKeyboardMarkup:
    """Cancel and Refresh while active; Run again once finished."""
    if task.state.is_terminal:
        row = [InlineKeyboardButton(t.t("button.again"), callback_data=f"again:{task.task_id}")]
    else:
        row = [
            InlineKeyboardButton(t.t("button.cancel"), callback_data=f"cancel:{task.task_id}"),
            InlineKeyboardButton(t.t("button.refresh"), callback_data=f"refresh:{task.task_id}"),
        ]
    return InlineKeyboardMarkup([row])
