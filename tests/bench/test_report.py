"""The bench's verdicts: each target judged on the least compressed run, misses explained."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from bench.report import NOTES, verdict_lines, verdicts, write_json


def _row(
    mode: str, per_task: float, p95: float, factor: float | None = None, lost: int = 0
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": f"{mode} ×{factor}",
        "mode": mode,
        "tasks": 1000,
        "lost": lost,
        "rh_requests_per_task": per_task,
        "latency_virtual_s": {"p50": p95 / 2, "p95": p95, "max": p95},
        "poll_max_virtual_s": None if mode == "baseline" else 30.0,
    }
    if factor is not None:
        row |= {"factor": factor, "latency_real_s": {"p95": p95 / factor}}
    return row


BASE = _row("baseline", 55.0, 4.75)


def test_polling_miss_is_explained_and_webhooks_met_at_low_compression() -> None:
    """A polling row missing the ratio target prints the polling note; webhooks at ×2 pass."""
    found = verdicts([BASE, _row("polling", 5.0, 26.0, 2.0), _row("webhook", 2.2, 0.06, 2.0)], [])
    assert [v["met"] for v in found] == [False, True, True]
    printed = verdict_lines(found)
    assert NOTES["polling"] in printed
    assert NOTES["compression"] not in printed


def test_only_the_least_compressed_run_is_judged_and_compression_explained() -> None:
    """With ×15 and ×2 runs of one configuration only ×2 is judged; a ×15-only miss says why."""
    slow, fast = _row("webhook", 2.2, 30.0, 15.0), _row("webhook", 2.2, 0.06, 2.0)
    found = verdicts([BASE, slow, fast], [])
    assert len(found) == 2
    assert all(v["met"] and v["factor"] == 2.0 for v in found)
    alone = verdict_lines(verdicts([BASE, slow], []))
    assert "❌" in alone
    assert NOTES["compression"] in alone
    assert NOTES["polling"] not in alone


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (_row("polling", 20.0, 4.0, 2.0), "2.8× fewer"),  # fast enough, too many requests
        (_row("webhook", 3.5, 0.1, 2.0), "3.50 requests/task"),  # over 3 per task
        (_row("webhook", 2.2, 0.1, 2.0, lost=1), "1 LOST"),  # a lost task fails every target
        (_row("webhook", 0.0, 0.1, 2.0, lost=1000), "0.0× fewer"),  # nothing sent at all
    ],
)
def test_each_half_of_a_target_can_fail_it(row: dict[str, Any], why: str) -> None:
    """Too many requests, over 3 per task, or a lost task each make the verdict ❌, with why."""
    found = verdicts([BASE, row], [])
    assert found
    assert not all(v["met"] for v in found)
    assert why in verdict_lines(found)
    assert NOTES["compression"] not in verdict_lines(found)  # ×2: not compression's fault


def test_results_file_is_strict_json(tmp_path: Path) -> None:
    """A percentile of no tasks (NaN) is written as null, so strict JSON parsers accept it."""
    out = tmp_path / "results.json"
    write_json(out, {"poller": [{"latency_virtual_s": {"p95": math.nan}, "rows": [math.nan]}]})
    text = out.read_text(encoding="utf-8")
    assert "NaN" not in text
    assert json.loads(text)["poller"][0]["latency_virtual_s"]["p95"] is None
