"""Delivery planning: fetch a finished task's outputs and decide how each is sent to Telegram.

Never hand Telegram RunningHub's URL: it expires within a day and Telegram cannot fetch big
files. Each output is downloaded (streamed, capped) and classified by type, size and shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import TransientError
from bot.services.imaging import image_size
from storage.outputs import Outputs
from storage.records import Output, Task
from storage.tasks import Tasks

PHOTO_LIMIT = 10 * 1024 * 1024
TEXT_INLINE_LIMIT = 64 * 1024
_PHOTO_TYPES = {"png", "jpg", "jpeg", "webp"}
_VIDEO_TYPES = {"mp4", "mov"}
_AUDIO_TYPES = {"mp3", "m4a"}
_GONE = frozenset({403, 404, 410})  # the signed URL expired or the file was removed


class Kind(StrEnum):
    """How an output goes to the chat."""

    PHOTO = "photo"
    VIDEO = "video"
    ANIMATION = "animation"
    AUDIO = "audio"
    DOCUMENT = "document"
    TEXT = "text"
    TOO_LARGE = "too_large"
    MISSING = "missing"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Item:
    """One output ready to send."""

    output: Output
    kind: Kind
    data: bytes = b""
    text: str = ""

    @property
    def filename(self) -> str:
        """A file name for the upload: task, index and extension."""
        ext = self.output.file_type or "bin"
        return f"task{self.output.task_id}_{self.output.index + 1}.{ext}"


def classify(output: Output, data: bytes) -> Kind:
    """Pick the Telegram method for an output from its type, size and (for images) shape."""
    ext = output.file_type.lower()
    if ext in _PHOTO_TYPES:
        size = image_size(data)
        if len(data) <= PHOTO_LIMIT and size is not None:
            width, height = size
            if width + height <= 10000 and max(width, height) <= 20 * max(1, min(width, height)):
                return Kind.PHOTO
        return Kind.DOCUMENT
    if ext == "gif":
        return Kind.ANIMATION
    if ext in _VIDEO_TYPES:
        return Kind.VIDEO
    if ext in _AUDIO_TYPES:
        return Kind.AUDIO
    return Kind.DOCUMENT


class Deliveries:
    """Prepares outputs for sending and records what was delivered."""

    def __init__(
        self,
        tasks: Tasks,
        outputs: Outputs,
        client: RunningHubClient,
        *,
        max_bytes: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._tasks = tasks
        self._outputs = outputs
        self._client = client
        self._max_bytes = max_bytes
        self._clock = clock

    async def prepare(self, task: Task) -> list[Item]:
        """Download and classify every output not yet delivered, in output order."""
        items = []
        for output in await self._outputs.undelivered(task.task_id):
            items.append(await self._fetch(output))
        return items

    async def _fetch(self, output: Output) -> Item:
        if output.text is not None and not output.url:
            return Item(output, Kind.TEXT, text=output.text)
        if not output.url:
            return Item(output, Kind.MISSING)
        try:
            data = await self._client.download(output.url, self._max_bytes)
        except TransientError as exc:
            if exc.http_status in _GONE:
                return Item(output, Kind.EXPIRED)
            data = await self._client.download(output.url, self._max_bytes)
        if data is None:
            return Item(output, Kind.TOO_LARGE)
        if output.file_type.lower() == "txt" and len(data) <= TEXT_INLINE_LIMIT:
            return Item(output, Kind.TEXT, text=data.decode("utf-8", errors="replace"))
        return Item(output, classify(output, data), data=data)

    async def mark(self, item: Item, file_id: str | None, kind: str | None = None) -> None:
        """Record that one output reached the chat (with its Telegram file id, if any)."""
        await self._outputs.mark_delivered(item.output.output_id, file_id, kind or item.kind.value)

    async def finish(self, task: Task) -> Task:
        """Record that the task's outcome is fully delivered."""
        return await self._tasks.update(task.task_id, delivered_at=self._clock())

    async def outputs(self, task: Task) -> list[Output]:
        """All outputs of a task (delivered or not)."""
        return await self._outputs.for_task(task.task_id)


def albums(items: list[Item]) -> list[list[Item]]:
    """Group consecutive photos into albums of up to 10; everything else goes alone."""
    batches: list[list[Item]] = []
    for item in items:
        last = batches[-1] if batches else None
        if (
            item.kind is Kind.PHOTO
            and last is not None
            and last[0].kind is Kind.PHOTO
            and len(last) < 10
        ):
            last.append(item)
        else:
            batches.append([item])
    return batches
