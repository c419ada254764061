"""Uploads (v1 ``/task/openapi/upload``, v2 ``/openapi/v2/media/upload/binary``) and file
serving under ``/files/`` (403 once a URL expired or its signature is wrong, 404 if unknown)."""

from __future__ import annotations

from aiohttp import web

from bot.sandbox.rh_codes import ApiError
from bot.sandbox.rh_core import Core
from bot.sandbox.rh_files import extension, kind_of, read_multipart
from bot.sandbox.rh_http import bearer, envelope, note_task, reply
from bot.sandbox.rh_media import content_type, fake_mp4, png
from bot.sandbox.rh_state import TaskState
from bot.sandbox.rh_views import Views


class FileRoutes:
    """Upload handlers and the signed file server."""

    def __init__(self, core: Core, views: Views) -> None:
        self._core = core
        self._views = views

    def routes(self) -> list[web.RouteDef]:
        """The route table."""
        return [
            web.post("/task/openapi/upload", self.upload_v1),
            web.post("/openapi/v2/media/upload/binary", self.upload_v2),
            web.get("/files/{path:.+}", self.serve),
        ]

    async def upload_v1(self, request: web.Request) -> web.Response:
        """Multipart ``apiKey``, ``fileType``, ``file`` → ``data.fileName = api/<sha256>.<ext>``."""
        form = await read_multipart(request, self._core.config.upload_limit_bytes)
        account = self._core.authenticate(form.fields.get("apiKey") or bearer(request))
        if not form.filename:
            raise ApiError(301, "file is required")
        if form.size > self._core.config.upload_limit_bytes:
            raise ApiError(809)
        ext = extension(form.filename)
        stored = self._core.uploads.put("api", form.data, ext, account.key)
        kind = form.fields.get("fileType") or kind_of(ext)
        return envelope({"fileName": stored.name, "fileType": kind})

    async def upload_v2(self, request: web.Request) -> web.Response:
        """Bearer + multipart ``file`` → ``openapi/<hash>.<ext>``, ``download_url``, size."""
        account = self._core.authenticate(bearer(request))
        form = await read_multipart(request, self._core.config.upload_limit_bytes)
        if not form.filename:
            raise ApiError(301, "file is required")
        if form.size > self._core.config.upload_limit_bytes:
            raise ApiError(809)
        ext = extension(form.filename)
        stored = self._core.uploads.put("openapi", form.data, ext, account.key)
        data = {
            "type": kind_of(ext),
            "download_url": self._core.signer.url(self._core.base_url, stored.name),
            "fileName": stored.name,
            "size": str(len(stored.data)),
        }
        return reply({"code": 0, "msg": "success", "data": data})

    async def serve(self, request: web.Request) -> web.Response:
        """``GET /files/<path>?expires=&sign=``."""
        path = request.match_info["path"]
        expires, sign = request.query.get("expires", ""), request.query.get("sign", "")
        if not self._core.signer.valid(path, expires, sign):
            return web.Response(status=403, text="AccessDenied: Request has expired")
        body = self._content(request, path)
        if body is None:
            return web.Response(status=404, text="NoSuchKey")
        data, ext = body
        return web.Response(body=data, headers={"Content-Type": content_type(ext)})

    def _content(self, request: web.Request, path: str) -> tuple[bytes, str] | None:
        uploaded = self._core.uploads.files.get(path)
        if uploaded is not None:
            return uploaded.data, extension(path)
        parts = path.split("/")
        if len(parts) != 3 or parts[0] != "output":
            return None
        task = self._core.store.tasks.get(parts[1])
        index = parts[2].split(".", 1)[0]
        if task is None or task.state is not TaskState.SUCCESS or not index.isdigit():
            return None
        note_task(request, task.task_id)
        files = self._views.files(task)
        if int(index) >= len(files):
            return None
        item = files[int(index)]
        seed = f"{task.task_id}/{item.index}"
        if item.text is not None:
            return item.text.encode(), "txt"
        if item.file_type not in ("png", "jpg", "jpeg", "webp"):
            return fake_mp4(seed), item.file_type
        workflow = self._core.catalogue.get(task.workflow_id)
        assert workflow is not None  # files() returned items, so the workflow exists
        width, height = workflow.image_size(task.overrides, self._core.config.max_image_side)
        return png(width, height, seed), "png"
