"""Telegram answering 500/502 or 429 (retry_after=1) to 30% of the bot's sends for a while.

Errors answered before a call takes effect never duplicate anything, so every task's results
arrive exactly once, and every status card ends up showing the final state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.sandbox.runninghub_emulator import RunningHubEmulator
from tests.faults.chat import MULTI, SDXL, card_in, result_items, say, setkey, texts, wait_until
from tests.faults.conftest import MakeEnv
from tests.faults.harness import read_ledger
from tests.faults.storm import Storm

USERS = (4001, 4002)
METHODS = frozenset({"sendPhoto", "sendMessage", "editMessageText", "sendMediaGroup"})
EXPECTED_ITEMS = {SDXL: 1, MULTI: 3}
CAPTION_TEXT = "a glass bottle with a galaxy inside"  # MULTI's text output: its prompt


async def test_telegram_error_storm_loses_and_duplicates_nothing(
    inproc: MakeEnv,
    rh: RunningHubEmulator,
    record_property: Callable[[str, object], None],
) -> None:
    """A storm of 5xx/429 on sends and edits (until each was hit): every result arrives once, every card ends Done."""
    env = await inproc()
    for user in USERS:
        await setkey(env.tg, user, env.key)
    storm = Storm(env.tg, METHODS, seconds=2.0)
    storming = asyncio.create_task(storm.run())
    runs = [
        (user, workflow, say(env.tg, user, f"/run {workflow} 3.seed={n}"))
        for n, workflow in enumerate((SDXL, MULTI, SDXL))
        for user in USERS
    ]
    await storming
    record_property("storm_errors_by_status", storm.injected)
    assert storm.hit == METHODS, f"methods never hit: {METHODS - storm.hit}"
    sql = "SELECT count(*) AS n FROM tasks WHERE delivered_at IS NOT NULL"
    db = env.settings.database_path
    await wait_until(
        lambda: read_ledger(db, sql)[0]["n"] == len(runs), within=20, what="all delivered"
    )
    items = {m: result_items(env.tg, u, m) for u, _, m in runs}
    assert items == {m: EXPECTED_ITEMS[w] for _, w, m in runs}, storm.injected
    for user, workflow, message in runs:
        captions = [t for t in texts(env.tg, user, message) if t == CAPTION_TEXT]
        assert len(captions) == (1 if workflow == MULTI else 0), (message, captions)
    await wait_until(
        lambda: all(card_in(env.tg, u, m, "SUCCESS") for u, _, m in runs), what="cards Done"
    )
