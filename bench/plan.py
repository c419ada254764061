"""What `python -m bench` runs: the default plan (under 10 minutes on 2 cores), `--quick`
(a few seconds: the smoke test's configuration) and `--full` (1,000 tasks at ×2, cross-checks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.poller import PollerCase, baseline_model_case, run_baseline_case, run_bot_case
from bench.telegram import TelegramCase, run_telegram_case

FACTOR = 15.0  # 1,000 tasks: as much compression as the 10-minute budget needs
FACTOR_10K = 10.0  # 10,000 tasks: CPU-bound at any factor that fits (×20 is slower: more passes)
REFERENCE = 2.0  # --full: the least compression tried, for latency without CPU queueing
TUNED_POLL_MAX = 5.0  # virtual seconds: the latency-tuned policy's cap


@dataclass(frozen=True)
class Step:
    """One measurement: its section of the report and how to run it."""

    section: str  # "poller" or "telegram"
    label: str
    run: Callable[[], dict[str, Any]]


def _bot(case: PollerCase, timeout: float) -> Step:
    return Step("poller", case.name, lambda: run_bot_case(case, timeout))


def _telegram(case: TelegramCase, timeout: float) -> Step:
    return Step("telegram", case.name, lambda: run_telegram_case(case, timeout))


def _thousand(factor: float, timeout: float) -> list[Step]:
    n, suffix = 1000, f" ×{factor:g}"
    return [
        _bot(PollerCase("bot 1k, default policy" + suffix, n, factor), timeout),
        _bot(PollerCase("bot 1k, tuned (cap 5 s)" + suffix, n, factor, TUNED_POLL_MAX), timeout),
        _bot(PollerCase("bot 1k, webhooks" + suffix, n, factor, webhook=True), timeout),
    ]


def _common() -> list[Step]:
    return [
        Step("poller", "baseline 1k", lambda: run_baseline_case(1000)),
        Step("poller", "baseline 10k", lambda: baseline_model_case(10_000)),
        _bot(PollerCase(f"bot 10k, default policy ×{FACTOR_10K:g}", 10_000, FACTOR_10K), 480),
        _telegram(TelegramCase("1,000 results to 200 chats, ours"), 240),
    ]


def default_plan() -> list[Step]:
    """Baselines, 1,000 tasks under three policies, 10,000 tasks, Telegram delivery."""
    common = _common()
    return [*common[:2], *_thousand(FACTOR, 300), *common[2:]]


def full_plan() -> list[Step]:
    """As the default plan with the 1,000-task runs at factor 2 instead (latency without CPU
    queueing), the 10,000-task baseline live, and PTB's rate limiter for comparison."""
    common = _common()
    return [
        *common[:2],
        Step("poller", "baseline 10k live", lambda: run_baseline_case(10_000)),
        *_thousand(REFERENCE, 900),
        *common[2:],
        _telegram(TelegramCase("1,000 results to 200 chats, PTB's", limiter="ptb"), 300),
    ]


def quick_plan() -> list[Step]:
    """The smallest configuration of each scenario (seconds; what the smoke test runs)."""
    return [
        Step("poller", "baseline", lambda: run_baseline_case(20)),
        _bot(PollerCase("bot, polling", 20, 100.0, per_user=5, longest=60.0), 60),
        _bot(PollerCase("bot, webhooks", 20, 100.0, webhook=True, per_user=5, longest=60.0), 60),
        _telegram(TelegramCase("results to chats", results=4, chats=4, group_share=0.25), 60),
    ]
