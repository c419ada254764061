"""`kill -9` of the bot process in every phase of a batch of tasks, then a restart.

Submitting → UNKNOWN and the user told, never resubmitted; queued and running → resumed from
the ledger and delivered once; mid-delivery → what was marked delivered is not resent, the
upload caught in flight may be posted twice (counted and bounded).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.sandbox.runninghub_emulator import Fault, RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from tests.faults.chat import (
    SDXL,
    UNKNOWN_TEXT,
    card_in,
    photos,
    replied_to,
    say,
    setkey,
    texts,
    wait_until,
)
from tests.faults.conftest import MakeBot
from tests.faults.harness import BotProcess

USERS = (2001, 2002, 2003)
ONE = USERS[0]
BLOCKER = 2009
CREATE = "/task/openapi/create"
_BATCH = "SELECT state FROM tasks WHERE owner_id != ? ORDER BY task_id"


async def _keys(tg: TelegramEmulator, rh: RunningHubEmulator, users: tuple[int, ...]) -> None:
    key = rh.register_key(api_type="SHARED")
    for user in users:
        await setkey(tg, user, key)


def _delivered(bot: BotProcess, count: int) -> Callable[[], bool]:
    sql = "SELECT count(*) AS n FROM tasks WHERE delivered_at IS NOT NULL"
    return lambda: bot.ledger(sql)[0]["n"] == count


def _shown(tg: TelegramEmulator, runs: list[tuple[int, int]], state: str) -> int:
    return sum(card_in(tg, user, message, state) for user, message in runs)


def _cards(tg: TelegramEmulator, runs: list[tuple[int, int]], state: str) -> Callable[[], bool]:
    return lambda: all(card_in(tg, user, message, state) for user, message in runs)


async def test_kill_mid_submit_marks_unknown_tells_users_and_never_resubmits(
    spawn: MakeBot, tg: TelegramEmulator, rh: RunningHubEmulator
) -> None:
    """Creates in flight at kill -9 become UNKNOWN on restart; each user is told; no 2nd create."""
    bot = spawn()
    await bot.start()
    await _keys(tg, rh, (*USERS, BLOCKER))
    # One slow create holds the poller's pass, so the batch is then submitted in one pass.
    rh.inject(Fault("slow", path=CREATE, count=1, delay=1.0))
    rh.inject(Fault("slow", path=CREATE, count=len(USERS), delay=2.0))
    say(tg, BLOCKER, f"/run {SDXL}")
    await wait_until(lambda: rh.request_count(CREATE) == 1, what="the blocking create")
    runs = [(user, say(tg, user, f"/run {SDXL}")) for user in USERS]
    await wait_until(lambda: rh.request_count(CREATE) == 4, what="the batch's creates in flight")
    await bot.kill()
    states = [r["state"] for r in bot.ledger(_BATCH, (BLOCKER,))]
    assert states == ["SUBMITTING"] * 3
    await bot.start()
    await wait_until(
        lambda: all(any(UNKNOWN_TEXT in text for text in texts(tg, u, m)) for u, m in runs),
        what="every user told the outcome is unknown",
    )
    await wait_until(_delivered(bot, 4), what="every outcome delivered")
    assert _cards(tg, runs, "UNKNOWN")()
    assert [r["state"] for r in bot.ledger(_BATCH, (BLOCKER,))] == ["UNKNOWN"] * 3
    assert rh.request_count(CREATE) == 4
    assert sum(photos(tg, u, m) for u, m in runs) == 0


async def test_kill_while_queued_resumes_and_delivers_each_once(
    spawn: MakeBot, tg: TelegramEmulator, rh: RunningHubEmulator
) -> None:
    """Tasks queued on RunningHub and one waiting locally at kill -9 are each delivered once."""
    rh.config.queue_seconds = 1.0
    bot = spawn(max_active_tasks_per_user=2)
    await bot.start()
    await _keys(tg, rh, (ONE,))
    runs = [(ONE, say(tg, ONE, f"/run {SDXL} 3.seed={n}")) for n in range(3)]
    await wait_until(
        lambda: _shown(tg, runs, "QUEUED") == 2 and _shown(tg, runs, "PENDING") == 1,
        what="two tasks queued on RunningHub, one waiting locally",
    )
    await bot.kill()
    states = sorted(r["state"] for r in bot.ledger("SELECT state FROM tasks"))
    assert states == ["PENDING", "QUEUED", "QUEUED"]
    await bot.start()
    await wait_until(_delivered(bot, 3), within=20, what="every task delivered")
    assert [photos(tg, u, m) for u, m in runs] == [1, 1, 1]
    assert _cards(tg, runs, "SUCCESS")()
    assert rh.request_count(CREATE) == 3


async def test_kill_while_running_resumes_and_delivers_each_once(
    spawn: MakeBot, tg: TelegramEmulator, rh: RunningHubEmulator
) -> None:
    """Tasks running on RunningHub at kill -9 are polled again after restart and delivered once."""
    rh.config.run_seconds = 2.0
    bot = spawn()
    await bot.start()
    await _keys(tg, rh, USERS)
    runs = [(user, say(tg, user, f"/run {SDXL}")) for user in USERS]
    await wait_until(_cards(tg, runs, "RUNNING"), what="every task running")
    await bot.kill()
    assert [r["state"] for r in bot.ledger("SELECT state FROM tasks")] == ["RUNNING"] * 3
    await bot.start()
    await wait_until(_delivered(bot, 3), within=20, what="every task delivered")
    assert [photos(tg, u, m) for u, m in runs] == [1, 1, 1]
    assert _cards(tg, runs, "SUCCESS")()
    assert rh.request_count(CREATE) == len(USERS)


async def test_kill_mid_delivery_resends_only_the_upload_in_flight(
    spawn: MakeBot,
    tg: TelegramEmulator,
    rh: RunningHubEmulator,
    record_property: Callable[[str, object], None],
) -> None:
    """Delivered outputs are not resent after kill -9; the one mid-upload is posted at most twice."""
    bot = spawn()
    await bot.start()
    await _keys(tg, rh, (ONE,))
    tg.fail_next_after_processing("sendPhoto", hang_seconds=30.0)  # the first upload hangs
    runs = [(ONE, say(tg, ONE, f"/run {SDXL} 3.seed={n}")) for n in range(3)]
    in_flight = replied_to((await tg.wait_for("sendPhoto", timeout=15))[0])
    marked = "SELECT task_id FROM outputs WHERE delivered_at IS NOT NULL"
    await wait_until(lambda: len(bot.ledger(marked)) == 2, what="the two other uploads marked")
    await bot.kill()
    await bot.start()
    await wait_until(_delivered(bot, 3), within=20, what="every task delivered")
    counts = {m: photos(tg, u, m) for u, m in runs}
    twice = sorted(m for m, n in counts.items() if n == 2)
    record_property("photos_per_run_message", counts)
    record_property("posted_twice", len(twice))
    table = f"photos per /run after kill -9 mid-upload: {counts}; posted twice: {twice}"
    assert sorted(n for m, n in counts.items() if m != in_flight) == [1, 1], table
    assert all(1 <= n <= 2 for n in counts.values()), table
    assert set(twice) <= {in_flight}, table  # only the upload in flight at the kill
    assert _cards(tg, runs, "SUCCESS")()
