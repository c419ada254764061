"""Benchmarks of the bot: the poller at scale, RunningHub webhooks, Telegram delivery.

Run with ``make bench`` (``python -m bench``); method and results in ``bench/README.md``.
"""
