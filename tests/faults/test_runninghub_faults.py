"""RunningHub misbehaving on a fifth of the calls: 502s, timeouts, slow and malformed answers.

Reads (query, account, workflow JSON, result files) are retried: every task completes and is
delivered once. A create whose answer is lost is never resubmitted: its task ends UNKNOWN and
the user is told — never a duplicate remote task, never silence.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.sandbox.runninghub_emulator import Fault, FaultKind, RunningHubEmulator
from tests.e2e.env import Env
from tests.faults.chat import (
    MULTI,
    SDXL,
    UNKNOWN_TEXT,
    answers,
    result_items,
    say,
    setkey,
    texts,
    wait_until,
)
from tests.faults.conftest import MakeEnv
from tests.faults.harness import read_ledger

READS = ("/openapi/v2/query", "/uc/openapi/accountStatus", "/api/openapi/getJsonApiFormat")
FILES = "/files/"
CREATE = "/task/openapi/create"
USERS = (3001, 3002, 3003)
EXPECTED_ITEMS = {SDXL: 1, MULTI: 3}  # MULTI: an album of three images, plus its caption text


def inject_faults(
    rh: RunningHubEmulator, path: str, kinds: tuple[FaultKind, ...], rate: float = 0.2
) -> None:
    """Make `rate` of the calls to `path` fail, split evenly over `kinds`; some also slow."""
    each = 1 - (1 - rate) ** (1 / len(kinds))
    for kind in kinds:
        delay = 2.0 if kind is FaultKind.SLOW else 0.0  # past the client timeout of 0.5 s
        dropped_after = kind is FaultKind.DROP and path == CREATE
        rh.inject(
            Fault(kind, path=path, count=None, probability=each, delay=delay,
                  after_create=dropped_after)
        )  # fmt: skip
    rh.inject(Fault("slow", path=path, count=None, probability=0.1, delay=0.1))  # slow, answered


def _delivered(env: Env) -> int:
    rows = read_ledger(
        env.settings.database_path, "SELECT count(*) AS n FROM tasks WHERE delivered_at IS NOT NULL"
    )
    return int(rows[0]["n"])


def _tasks(db: Path) -> list[dict[str, object]]:
    return [dict(r) for r in read_ledger(db, "SELECT * FROM tasks ORDER BY task_id")]


async def test_read_faults_on_a_fifth_of_calls_still_deliver_every_task_once(
    inproc: MakeEnv, rh: RunningHubEmulator
) -> None:
    """20% of query/account/workflow-JSON/file calls fail: all tasks finish, each delivered once."""
    env = await inproc(runninghub_timeout=0.5, poll_max_interval=0.1)
    for user in USERS:
        await setkey(env.tg, user, env.key)
    json_kinds = (FaultKind.HTTP_502, FaultKind.SLOW, FaultKind.NON_JSON, FaultKind.DROP)
    for path in READS:
        inject_faults(rh, path, json_kinds)
    inject_faults(rh, FILES, (FaultKind.HTTP_502, FaultKind.SLOW, FaultKind.DROP))
    runs = [
        (user, workflow, say(env.tg, user, f"/run {workflow} 3.seed={n}"))
        for n, workflow in enumerate((SDXL, MULTI, SDXL))
        for user in USERS
    ]
    balances = [(user, say(env.tg, user, "/balance")) for user in USERS for _ in range(3)]
    await wait_until(lambda: _delivered(env) == len(runs), within=40, what="every task delivered")
    tasks = _tasks(env.settings.database_path)
    assert [t["state"] for t in tasks] == ["SUCCESS"] * len(runs)
    items = {m: result_items(env.tg, u, m) for u, _, m in runs}
    assert items == {m: EXPECTED_ITEMS[w] for _, w, m in runs}
    assert rh.request_count(CREATE) == len(runs)
    assert all(answers(env.tg, u, m) for u, m in balances), "a /balance went unanswered"
    faulted = [r for r in rh.requests if r.path == READS[0] and r.task_id is None]
    assert faulted, "no poll was answered with a fault: the faults did not bite"


async def test_create_faults_end_in_a_result_or_an_unknown_notice_never_a_duplicate(
    inproc: MakeEnv, rh: RunningHubEmulator
) -> None:
    """20% of creates lose their answer: each task is delivered or reported UNKNOWN, created once."""
    env = await inproc(runninghub_create_timeout=0.5)
    for user in USERS:
        await setkey(env.tg, user, env.key)
    kinds = (FaultKind.HTTP_502, FaultKind.SLOW, FaultKind.NON_JSON, FaultKind.DROP)
    inject_faults(rh, CREATE, kinds)
    runs = [
        (user, say(env.tg, user, f"/run {SDXL} 3.seed={n}")) for n in range(5) for user in USERS
    ]
    await wait_until(lambda: _delivered(env) == len(runs), within=30, what="every outcome told")
    tasks = _tasks(env.settings.database_path)
    states = Counter(str(t["state"]) for t in tasks)
    assert set(states) <= {"SUCCESS", "UNKNOWN"}, states
    assert states["UNKNOWN"] > 0, "no create failed: the faults did not bite"
    for user, message in runs:
        told_unknown = any(UNKNOWN_TEXT in t for t in texts(env.tg, user, message))
        assert (result_items(env.tg, user, message) == 1) != told_unknown, (user, message)
    assert rh.request_count(CREATE) == len(runs)  # one create per task, never a second
    remote_ids = [t["remote_id"] for t in tasks if t["remote_id"] is not None]
    assert len(remote_ids) == len(set(remote_ids)) == states["SUCCESS"]


async def test_html_page_from_the_file_host_is_not_delivered_as_the_result(
    inproc: MakeEnv, rh: RunningHubEmulator
) -> None:
    """A result download answered 200 with an HTML error page is retried, not posted as the result."""
    env = await inproc()
    await setkey(env.tg, USERS[0], env.key)
    rh.inject(Fault(FaultKind.NON_JSON, path=FILES, count=1))
    message = say(env.tg, USERS[0], f"/run {SDXL}")
    await wait_until(lambda: _delivered(env) == 1, within=15, what="the task delivered")
    sent = [c for c in answers(env.tg, USERS[0], message) if c.method != "sendMessage"]
    assert [c.method for c in sent] == ["sendPhoto"], [
        (c.method, c.params.get("caption")) for c in sent
    ]
    assert sent[0].files["photo"].data.startswith(b"\x89PNG")
