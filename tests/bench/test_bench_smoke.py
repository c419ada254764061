"""Smoke test of the benchmarks: the smallest configuration of every scenario runs end to end."""

from __future__ import annotations

import json
from pathlib import Path

from bench.__main__ import run


def test_quick_plan_runs_every_scenario_and_writes_results(tmp_path: Path) -> None:
    """`python -m bench --quick` measures each scenario, loses nothing and writes the JSON."""
    printed: list[str] = []
    out = tmp_path / "results.json"
    results = run(["--quick", "--out", str(out)], out=printed.append)
    modes = {row["mode"] for row in results["poller"]}
    assert modes == {"baseline", "polling", "webhook"}
    assert all(row["lost"] == 0 for row in results["poller"])
    bot_rows = [row for row in results["poller"] if row["mode"] != "baseline"]
    assert all(row["rh_requests_per_task"] >= 2 for row in bot_rows)
    assert all(row["peak_rss_mb"] > 0 and row["cpu_s"] > 0 for row in bot_rows)
    assert all(0 <= row["after_burst_tasks"] <= row["delivered"] for row in bot_rows)
    (telegram,) = results["telegram"]
    assert telegram["results_lost"] == 0
    assert telegram["http_429"] == 0
    assert telegram["ledger_undelivered"] == 0
    assert json.loads(out.read_text(encoding="utf-8"))["meta"]["plan"] == "quick"
    assert sum("| run |" in line for line in printed) == 2  # the two tables
