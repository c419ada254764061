"""Workflow schemas for the /run parser: fetched from RunningHub once, cached per workflow."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.commands import WorkflowSchema, schema_from_api_json
from bot.errors import RemoteError
from bot.runninghub.client import RunningHubClient
from bot.runninghub.errors import NotFoundError, RunningHubError

log = logging.getLogger(__name__)


class WorkflowSchemas:
    """A small LRU of parsed API JSON, keyed by workflow id, with a time to live."""

    def __init__(
        self,
        client: RunningHubClient,
        *,
        ttl: float = 600.0,
        size: int = 256,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._size = size
        self._clock = clock
        self._cache: OrderedDict[str, tuple[float, WorkflowSchema]] = OrderedDict()

    async def get(self, api_key: str, workflow_id: str) -> WorkflowSchema | None:
        """Return the workflow's schema; None when it cannot be had (bare names then refused).

        An unknown workflow raises RemoteError: running it would fail anyway.
        """
        hit = self._cache.get(workflow_id)
        if hit is not None and self._clock() - hit[0] < self._ttl:
            self._cache.move_to_end(workflow_id)
            return hit[1]
        try:
            graph = await self._client.workflow_graph(api_key, workflow_id)
        except NotFoundError:
            raise RemoteError("remote.workflow_not_found", workflow=workflow_id) from None
        except RunningHubError as exc:
            log.warning("API JSON of workflow %s unavailable: %s", workflow_id, type(exc).__name__)
            return None
        schema = schema_from_api_json(graph.raw)
        self._cache[workflow_id] = (self._clock(), schema)
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return schema
