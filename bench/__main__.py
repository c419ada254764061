"""`python -m bench` (`make bench`): run the plan, print the tables, write bench/results.json.

Options: ``--quick`` (the smallest configuration, seconds), ``--full`` (1,000 tasks at ×2
instead of ×15, plus the slow cross-checks), ``--only TEXT`` (steps whose label contains TEXT;
written only with ``--out``), ``--out PATH``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.plan import default_plan, full_plan, quick_plan
from bench.report import poller_table, telegram_table, verdict_lines, verdicts, write_json

RESULTS = Path(__file__).with_name("results.json")  # the default plan's
RESULTS_FULL = Path(__file__).with_name("results-full.json")  # --full's


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smallest configuration only")
    size.add_argument("--full", action="store_true", help="×2 for 1,000 tasks, cross-checks")
    parser.add_argument(
        "--only", action="append", default=[], help="labels containing TEXT (kept with --out)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help=f"default: {RESULTS} ({RESULTS_FULL} for --full)"
    )
    return parser.parse_args(argv)


def run(argv: list[str], out: Any = print) -> dict[str, Any]:
    """Run the chosen plan; print as it goes; return (and write) the results."""
    args = parse_args(argv)
    steps = quick_plan() if args.quick else full_plan() if args.full else default_plan()
    if args.only:
        steps = [s for s in steps if any(text in s.label for text in args.only)]
    started = time.monotonic()
    meta: dict[str, Any] = {
        "plan": "quick" if args.quick else "full" if args.full else "default",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }
    sections: dict[str, list[dict[str, Any]]] = {"poller": [], "telegram": []}
    for step in steps:
        out(f"… {step.label}")
        step_started = time.monotonic()
        row = step.run()
        row.setdefault("wall_s", round(time.monotonic() - step_started, 1))
        sections[step.section].append(row)
        out(f"  done in {time.monotonic() - step_started:.0f} s")
    found = verdicts(sections["poller"], sections["telegram"])
    meta["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    meta["seconds"] = round(time.monotonic() - started, 1)
    results: dict[str, Any] = {"meta": meta, **sections, "targets": found}
    if sections["poller"]:
        out("\n" + poller_table(sections["poller"]))
    if sections["telegram"]:
        out("\n" + telegram_table(sections["telegram"]))
    out("\n" + verdict_lines(found))
    out(f"\n{len(steps)} steps in {meta['seconds']:.0f} s")
    partial = args.quick or bool(args.only)  # never overwrites a whole plan's results
    target = args.out or (None if partial else RESULTS_FULL if args.full else RESULTS)
    if target is not None:
        write_json(target, results)
        out(f"results written to {target}")
    elif args.only:
        out("a partial run: results not written (give --out PATH to keep them)")
    return results


def main() -> int:
    """Entry point."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    run(sys.argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
