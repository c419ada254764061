"""Turning what the processes measured into numbers: latencies, request counts, bounds."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bench.emulators import Collected, Sent

API_PATHS = (
    "/task/openapi/create",
    "/openapi/v2/query",
    "/task/openapi/status",
    "/task/openapi/outputs",
)


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile `q` (0-100) of `values` (nan when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> dict[str, float]:
    """p50, p95 and max, rounded for reading."""
    return {
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "max": round(max(values, default=math.nan), 2),
    }


def api_requests(paths: dict[str, int]) -> int:
    """RunningHub API calls (create and every kind of poll), not result downloads."""
    return sum(paths.get(path, 0) for path in API_PATHS)


def photo_times(sent: Sequence[Sent]) -> dict[str, float]:
    """When Telegram first accepted each uploaded result file, by file name."""
    times: dict[str, float] = {}
    for message in sent:
        if message.method == "sendPhoto" and message.filename is not None:
            times.setdefault(message.filename, message.at)
    return times


def _timelines(
    remote_ids: dict[int, str], collected: Collected
) -> list[tuple[float, float, float]]:
    """(created, ended, photo accepted) per delivered task, virtual seconds."""
    photos = photo_times(collected.sent)
    found = []
    for task_id, remote_id in remote_ids.items():
        delivered = photos.get(f"task{task_id}_1.png")
        times = collected.tasks.get(remote_id)
        if delivered is not None and times is not None:
            found.append((*times, delivered))
    return found


def deliveries(remote_ids: dict[int, str], collected: Collected) -> tuple[list[float], list[float]]:
    """Per delivered task: latency after its end, and time in flight (created → delivered)."""
    timelines = _timelines(remote_ids, collected)
    return [d - e for _, e, d in timelines], [d - c for c, _, d in timelines]


def after_burst(remote_ids: dict[int, str], collected: Collected) -> list[float]:
    """Latencies of the tasks that ended after the last create: the bot out of its start-up
    burst of submissions, which at high compression queues everything else for the CPU."""
    last_create = max((times[0] for times in collected.tasks.values()), default=0.0)
    return [d - e for _, e, d in _timelines(remote_ids, collected) if e > last_create]


def min_send_time(
    sent: Sequence[Sent], overall: int = 30, per_chat: float = 1.0, per_group: int = 20
) -> float:
    """The least time from the first to the last of these messages that Telegram's limits
    allow: `overall` a second, one per `per_chat` seconds in a chat, `per_group` a minute in
    a group (an album counts each item)."""
    chats: Counter[int | str | None] = Counter()
    for message in sent:
        chats[message.chat_id] += message.items
    total = sum(chats.values())
    bounds: list[float] = [float((total - 1) // overall)] if total else [0.0]
    for chat, count in chats.items():
        bounds.append((count - 1) * per_chat)
        if chat is not None and (isinstance(chat, str) or chat < 0):
            bounds.append(math.floor((count - 1) / per_group) * 60.0)
    return float(max(bounds))


def rounded(values: dict[str, Any], digits: int = 3) -> dict[str, Any]:
    """Round the floats of a flat dict."""
    return {k: round(v, digits) if isinstance(v, float) else v for k, v in values.items()}
