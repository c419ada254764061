"""The bench's latency bookkeeping: per-task timelines from what the emulators recorded."""

from __future__ import annotations

from bench.emulators import Collected, Sent
from bench.metrics import after_burst, deliveries


def _collected() -> Collected:
    """Three tasks created at 0, 1 and 2 s; they end at 1.5, 3 and 9 s; the third never posted."""
    sent = [
        Sent("sendPhoto", 7, 2.0, 1, "task1_1.png"),
        Sent("sendPhoto", 7, 3.25, 1, "task2_1.png"),
        Sent("sendPhoto", 7, 4.0, 1, "task2_1.png"),  # a resend: the first one counts
    ]
    tasks = {"r1": (0.0, 1.5), "r2": (1.0, 3.0), "r3": (2.0, 9.0)}
    return Collected({}, tasks, sent, {}, 0, 0)


def test_latency_counts_from_the_end_to_the_first_accepted_photo() -> None:
    """Latency is photo − end, in flight is photo − create; undelivered tasks are left out."""
    latencies, in_flight = deliveries({1: "r1", 2: "r2", 3: "r3"}, _collected())
    assert latencies == [0.5, 0.25]
    assert in_flight == [2.0, 2.25]


def test_after_burst_keeps_only_tasks_ending_after_the_last_create() -> None:
    """Task 1 ended before the last create (at 2 s) and is excluded; task 2 is kept."""
    assert after_burst({1: "r1", 2: "r2", 3: "r3"}, _collected()) == [0.25]
