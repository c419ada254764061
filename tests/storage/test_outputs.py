"""Outputs: stored once per (task, index), delivery tracked with Telegram file ids."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.outputs import Outputs
from storage.records import NewOutput
from storage.tasks import Tasks

if TYPE_CHECKING:
    from tests.storage.conftest import FakeClock

IMAGE = NewOutput(url="https://cos.example/a.png", file_type="png", node_id="9", size_bytes=1234)
TEXT = NewOutput(file_type="txt", node_id="15", text="a red fox")


async def _task(tasks: Tasks, message_id: int = 1, owner: int = 1) -> int:
    task, _ = await tasks.create(
        owner_id=owner,
        chat_id=owner,
        thread_id=None,
        command_message_id=message_id,
        workflow_id="w",
        inputs={},
    )
    return task.task_id


async def test_add_many_stores_outputs_in_order(
    tasks: Tasks, outputs: Outputs, clock: FakeClock
) -> None:
    """Outputs get their position as index and keep every field."""
    task_id = await _task(tasks)
    stored = await outputs.add_many(task_id, [IMAGE, TEXT])
    assert [(o.index, o.url, o.file_type, o.node_id, o.text, o.size_bytes) for o in stored] == [
        (0, IMAGE.url, "png", "9", None, 1234),
        (1, None, "txt", "15", "a red fox", None),
    ]
    assert all(o.delivered_at is None and o.created_at == clock.now for o in stored)
    assert await outputs.for_task(task_id) == stored


async def test_add_many_is_idempotent(tasks: Tasks, outputs: Outputs) -> None:
    """Reporting the same outputs again (e.g. after a restart) adds no duplicates."""
    task_id = await _task(tasks)
    first = await outputs.add_many(task_id, [IMAGE])
    again = await outputs.add_many(task_id, [IMAGE, TEXT])
    assert again[0] == first[0]
    assert [o.index for o in again] == [0, 1]
    assert len(await outputs.for_task(task_id)) == 2


async def test_mark_delivered_records_file_id_and_first_time(
    tasks: Tasks, outputs: Outputs, clock: FakeClock
) -> None:
    """Delivery keeps its first time; the file id and kind are recorded for reuse."""
    task_id = await _task(tasks)
    image, text = await outputs.add_many(task_id, [IMAGE, TEXT])
    delivered = await outputs.mark_delivered(image.output_id, "AgACfile", "photo")
    assert delivered is not None
    assert (delivered.delivered_at, delivered.telegram_file_id, delivered.delivered_kind) == (
        clock.now,
        "AgACfile",
        "photo",
    )
    first_time = clock.now
    clock.advance(60)
    again = await outputs.mark_delivered(image.output_id)
    assert again is not None
    assert (again.delivered_at, again.telegram_file_id) == (first_time, "AgACfile")
    assert await outputs.undelivered(task_id) == [text]
    assert await outputs.mark_delivered(999_999) is None


async def test_shareable_lists_the_owners_delivered_files_newest_first(
    tasks: Tasks, outputs: Outputs, clock: FakeClock
) -> None:
    """Inline mode sees only the owner's outputs that have a Telegram file id."""
    mine = await _task(tasks, 1, owner=1)
    theirs = await _task(tasks, 2, owner=2)
    a, b, text = await outputs.add_many(mine, [IMAGE, IMAGE, TEXT])
    (other,) = await outputs.add_many(theirs, [IMAGE])
    await outputs.mark_delivered(a.output_id, "file-a", "photo")
    clock.advance(1)
    await outputs.mark_delivered(b.output_id, "file-b", "document")
    await outputs.mark_delivered(text.output_id, None, "message")
    await outputs.mark_delivered(other.output_id, "file-x", "photo")
    shared = await outputs.shareable(1)
    assert [o.telegram_file_id for o in shared] == ["file-b", "file-a"]
    assert [o.telegram_file_id for o in await outputs.shareable(1, limit=1, offset=1)] == ["file-a"]


async def test_explicit_indexes_are_kept(tasks: Tasks, outputs: Outputs) -> None:
    """An output given an index is stored under it, whatever its position in the list."""
    task_id = await _task(tasks)
    stored = await outputs.add_many(
        task_id, [NewOutput(index=3, url="u3"), NewOutput(index=1, url="u1")]
    )
    assert [(o.index, o.url) for o in stored] == [(1, "u1"), (3, "u3")]
