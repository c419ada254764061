"""The RunningHub client: one injected `httpx.AsyncClient`, typed answers, one error tree.

Endpoints used in the `current` dialect, and why:
* create: `POST /task/openapi/create` (v1) — the documented way to run a saved workflow with a
  `nodeInfoList`; the v2 `run/workflow` route is only known from third-party clients.
* poll: `POST /openapi/v2/query` — one request yields the state (QUEUED vs RUNNING), the outputs
  with inline text, the failure reason and the cost. RunningHub's own agent skill submits through
  v1 and polls this way; v1 `outputs` cannot tell "finished with nothing" from "still settling".
* cancel `/task/openapi/cancel`, upload `/openapi/v2/media/upload/binary`, account
  `/uc/openapi/accountStatus`, workflow JSON `/api/openapi/getJsonApiFormat`.
The `seed` dialect (the old README) creates with `createWithParams` and polls `GET status`.

The key is passed per call, used only in headers and bodies, and never enters a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from bot.runninghub import parsing, seed
from bot.runninghub.errors import (
    AuthenticationError,
    CapacityError,
    InvalidRequestError,
    MalformedResponseError,
    OutcomeUnknownError,
    RunningHubError,
    TransientError,
)
from bot.runninghub.files import download
from bot.runninghub.graph import parse_graph
from bot.runninghub.models import (
    AccountStatus,
    CreatedTask,
    Dialect,
    NodeOverride,
    RemoteState,
    TaskStatus,
    UploadedFile,
    WorkflowGraph,
)
from bot.runninghub.retry import RetryPolicy, retry_transient

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RunningHubClient:
    """Async RunningHub API client; every method takes the caller's API key."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        dialect: Dialect = Dialect.CURRENT,
        retry: RetryPolicy | None = None,
        read_timeout: float = 30.0,
        create_timeout: float = 60.0,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self.dialect = dialect
        self._retry = retry or RetryPolicy()
        self._read_timeout = read_timeout
        self._create_timeout = create_timeout

    def __repr__(self) -> str:
        return f"RunningHubClient({self._base!r}, dialect={self.dialect.value})"

    async def _send(self, method: str, path: str, api_key: str, what: str, **kw: Any) -> Any:
        """Send one request; map transport and HTTP failures to the error tree."""
        headers = {"Authorization": f"Bearer {api_key}"}
        try:
            response = await self._http.request(
                method, self._base + path, headers=headers, timeout=self._read_timeout, **kw
            )
        except httpx.TimeoutException as exc:
            raise TransientError(f"RunningHub timed out on {what} ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise TransientError(
                f"RunningHub unreachable on {what} ({type(exc).__name__})"
            ) from None
        status = response.status_code
        if status in (401, 403):
            raise AuthenticationError(f"RunningHub refused the key on {what}", http_status=status)
        if status == 429 or status >= 500:
            raise TransientError(f"RunningHub answered HTTP {status} on {what}", http_status=status)
        if status >= 400:
            raise InvalidRequestError(
                f"RunningHub answered HTTP {status} on {what}", http_status=status
            )
        try:
            return response.json()
        except (ValueError, RecursionError):
            raise MalformedResponseError(f"RunningHub sent a non-JSON body for {what}") from None

    async def _read(self, method: str, path: str, api_key: str, what: str, **kw: Any) -> Any:
        return await retry_transient(
            lambda: self._send(method, path, api_key, what, **kw), self._retry
        )

    async def create_task(
        self,
        api_key: str,
        workflow_id: str,
        overrides: Sequence[NodeOverride] = (),
        *,
        instance_type: str | None = None,
        add_metadata: bool | None = None,
        webhook_url: str | None = None,
    ) -> CreatedTask:
        """Create a task. Never retried: a lost answer raises OutcomeUnknownError."""
        what = f"creating a task of workflow {workflow_id}"
        if self.dialect is Dialect.SEED:
            path, body = "/task/openapi/createWithParams", seed.create_body(workflow_id, overrides)
        else:
            path, body = "/task/openapi/create", {"workflowId": workflow_id}
            if overrides:
                body["nodeInfoList"] = [
                    {"nodeId": o.node_id, "fieldName": o.field, "fieldValue": o.value}
                    for o in overrides
                ]
        for key, value in (
            ("instanceType", instance_type),
            ("addMetadata", add_metadata),
            ("webhookUrl", webhook_url),
        ):
            if value is not None:
                body[key] = value
        body["apiKey"] = api_key
        answer = await self._post_create(path, body, api_key, what)
        try:
            env = parsing.unwrap(answer, what)
            data = env.data if isinstance(env.data, dict) else {}
            parsing.check_prompt_tips(data.get("promptTips"), what)
            task_id = parsing.task_id_from(data.get("taskId"), what)
        except TransientError as exc:  # a 0-coded answer we cannot read: the task may exist
            raise OutcomeUnknownError(f"{exc}; the task may exist", code=exc.code) from None
        return CreatedTask(task_id=task_id, state=RemoteState.QUEUED)

    async def _post_create(self, path: str, body: dict[str, Any], api_key: str, what: str) -> Any:
        """POST a create: not sent → TransientError; 429 → CapacityError; lost → OutcomeUnknown."""
        headers = {"Authorization": f"Bearer {api_key}"}
        try:
            response = await self._http.post(
                self._base + path, json=body, headers=headers, timeout=self._create_timeout
            )
        except _NOT_SENT as exc:
            raise TransientError(
                f"RunningHub unreachable on {what} ({type(exc).__name__})"
            ) from None
        except httpx.HTTPError as exc:
            raise OutcomeUnknownError(
                f"RunningHub lost the answer to {what} ({type(exc).__name__})"
            ) from None
        status = response.status_code
        if status in (401, 403):
            raise AuthenticationError(f"RunningHub refused the key on {what}", http_status=status)
        if status == 429:
            raise CapacityError(f"RunningHub is rate limiting {what}", http_status=status)
        if status == 503:
            raise TransientError(f"RunningHub unavailable on {what}", http_status=status)
        if status >= 400:
            raise OutcomeUnknownError(
                f"RunningHub answered HTTP {status} on {what}", http_status=status
            )
        try:
            return response.json()
        except (ValueError, RecursionError):
            raise OutcomeUnknownError(f"RunningHub sent a non-JSON answer to {what}") from None

    async def get_task(self, api_key: str, task_id: str) -> TaskStatus:
        """Poll a task once (retrying transient failures): state, outputs, failure, cost."""
        what = f"task {task_id}"
        if self.dialect is Dialect.SEED:
            params = {"taskId": task_id, "apiKey": api_key}
            body = await self._read("GET", "/task/openapi/status", api_key, what, params=params)
            return seed.parse_status(body, task_id, what)
        body = await self._read(
            "POST", "/openapi/v2/query", api_key, what, json={"taskId": task_id}
        )
        return parsing.parse_v2_task(body, task_id, what)

    async def cancel_task(self, api_key: str, task_id: str) -> None:
        """Ask RunningHub to cancel a queued or running task."""
        what = f"cancelling task {task_id}"
        body = {"apiKey": api_key, "taskId": task_id}
        parsing.unwrap(
            await self._read("POST", "/task/openapi/cancel", api_key, what, json=body), what
        )

    async def upload(
        self, api_key: str, data: bytes, filename: str, content_type: str
    ) -> UploadedFile:
        """Upload an input file; bind the returned `file_name` in a loader node."""
        what = f"uploading {filename}"
        files = {"file": (filename, data, content_type)}
        answer = await self._read(
            "POST", "/openapi/v2/media/upload/binary", api_key, what, files=files
        )
        env = parsing.unwrap(answer, what)
        payload = env.data if isinstance(env.data, dict) else {}
        name = payload.get("fileName")
        if not isinstance(name, str) or not name:
            raise MalformedResponseError(f"RunningHub sent no file name for {what}")
        url = payload.get("download_url")
        return UploadedFile(file_name=name, download_url=url if isinstance(url, str) else None)

    async def account_status(self, api_key: str) -> AccountStatus:
        """Coins, running tasks and key type; also the cheapest way to validate a key."""
        what = "account status"
        body = {"apikey": api_key}
        answer = await self._read("POST", "/uc/openapi/accountStatus", api_key, what, json=body)
        return parsing.parse_account(parsing.unwrap(answer, what).data)

    async def workflow_graph(self, api_key: str, workflow_id: str) -> WorkflowGraph:
        """Fetch and parse the workflow's API JSON (free: no coins)."""
        what = f"the API JSON of workflow {workflow_id}"
        body = {"apiKey": api_key, "workflowId": workflow_id}
        answer = await self._read("POST", "/api/openapi/getJsonApiFormat", api_key, what, json=body)
        data = parsing.unwrap(answer, what).data
        prompt = data.get("prompt") if isinstance(data, dict) else None
        if prompt is None:
            raise MalformedResponseError(f"RunningHub sent no graph for {what}")
        return parse_graph(workflow_id, prompt)

    async def download(self, url: str, max_bytes: int) -> bytes | None:
        """Stream a result file (no key is sent to the file host); None when over `max_bytes`."""
        return await download(self._http, url, max_bytes, self._read_timeout)


__all__ = ["RunningHubClient", "RunningHubError"]
