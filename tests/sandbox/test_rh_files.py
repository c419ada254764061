"""Uploads, signed result files (real PNGs) and the API JSON on the RunningHub emulator."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from typing import Any

import httpx

from bot.sandbox.runninghub_emulator import EmulatorConfig, ManualClock, RunningHubEmulator

SDXL = "1904136902449209346"
IMG2IMG = "1904136902449209350"
VIDEO = "1904136902449209353"


async def post(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], bearer: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def png_size(data: bytes) -> tuple[int, int]:
    """Decode enough of a PNG to prove it is valid; returns (width, height)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, payload = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + payload) & 0xFFFFFFFF == crc
        chunks[kind] = payload
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 2)
    assert b"IEND" in chunks
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + 3 * width)
    return width, height


async def finished_outputs(
    client: httpx.AsyncClient, key: str, clock: ManualClock, body: dict[str, Any]
) -> list[dict[str, Any]]:
    created = await post(client, "/task/openapi/create", {"apiKey": key, **body})
    assert created["code"] == 0, created
    clock.advance(7)
    query = {"apiKey": key, "taskId": created["data"]["taskId"]}
    files: list[dict[str, Any]] = (await post(client, "/task/openapi/outputs", query))["data"]
    return files


async def test_v1_upload_returns_an_api_file_name(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """v1 upload (multipart apiKey/fileType/file) answers fileName api/<sha256>.<ext>."""
    content = b"\x89PNG fake image bytes"
    response = await rh_client.post(
        "/task/openapi/upload",
        data={"apiKey": rh_key, "fileType": "image"},
        files={"file": ("photo.PNG", content, "image/png")},
    )
    answer = response.json()
    name = f"api/{hashlib.sha256(content).hexdigest()}.png"
    assert answer == {"code": 0, "msg": "success", "data": {"fileName": name, "fileType": "image"}}
    assert rh_emulator.uploaded(name) == content


async def test_v2_upload_returns_name_url_and_string_size(
    rh_client: httpx.AsyncClient, rh_key: str
) -> None:
    """v2 binary upload answers openapi/<hash>.<ext>, a working download_url and size string."""
    headers = {"Authorization": f"Bearer {rh_key}"}
    files = {"file": ("clip.mp4", b"0123456789", "video/mp4")}
    answer = (
        await rh_client.post("/openapi/v2/media/upload/binary", headers=headers, files=files)
    ).json()
    data = answer["data"]
    assert answer["code"] == 0
    assert data["type"] == "video"
    assert data["size"] == "10"
    assert data["fileName"] == f"openapi/{hashlib.sha256(b'0123456789').hexdigest()[:32]}.mp4"
    download = await rh_client.get(data["download_url"])
    assert download.content == b"0123456789"
    assert download.headers["content-type"] == "video/mp4"


async def test_uploads_over_the_limit_answer_809_in_each_dialect(rh_clock: ManualClock) -> None:
    """Over upload_limit_bytes: v1 {code 809, msg}, v2 {code 809, message}; nothing stored."""
    async with RunningHubEmulator(EmulatorConfig(upload_limit_bytes=100, clock=rh_clock)) as emu:
        key = emu.register_key()
        async with httpx.AsyncClient(base_url=emu.base_url) as client:
            files = {"file": ("big.png", b"x" * 101, "image/png")}
            v1 = await client.post("/task/openapi/upload", data={"apiKey": key}, files=files)
            v2 = await client.post(
                "/openapi/v2/media/upload/binary",
                headers={"Authorization": f"Bearer {key}"},
                files=files,
            )
    assert v1.json() == {"code": 809, "msg": "APIKEY_FILE_SIZE_EXCEEDED", "data": None}
    assert v2.json() == {"code": 809, "message": "APIKEY_FILE_SIZE_EXCEEDED", "data": None}


async def test_v2_upload_with_a_bad_key_uses_message(rh_client: httpx.AsyncClient) -> None:
    """v2 upload with an unknown key answers {code 401, message "ApiKey verification failed…"}."""
    headers = {"Authorization": "Bearer " + "0" * 32}
    files = {"file": ("a.png", b"abc", "image/png")}
    answer = await rh_client.post("/openapi/v2/media/upload/binary", headers=headers, files=files)
    body = answer.json()
    assert body["code"] == 401
    assert body["message"].startswith("ApiKey verification failed")
    assert "0" * 32 not in answer.text


async def test_result_png_is_real_and_sized_by_the_latent(
    rh_client: httpx.AsyncClient, rh_key: str, rh_clock: ManualClock
) -> None:
    """Results are valid PNGs sized from EmptyLatentImage (capped at 512), one per batch item."""
    nodes = [
        {"nodeId": "5", "fieldName": "width", "fieldValue": 320},
        {"nodeId": "5", "fieldName": "height", "fieldValue": 4096},
        {"nodeId": "5", "fieldName": "batch_size", "fieldValue": 2},
    ]
    files = await finished_outputs(
        rh_client, rh_key, rh_clock, {"workflowId": SDXL, "nodeInfoList": nodes}
    )
    assert len(files) == 2
    images = [(await rh_client.get(f["fileUrl"])).content for f in files]
    assert [png_size(image) for image in images] == [(320, 512), (320, 512)]
    assert images[0] != images[1]
    again = (await rh_client.get(files[0]["fileUrl"])).content
    assert again == images[0]


async def test_result_urls_expire_and_need_a_valid_signature(
    rh_client: httpx.AsyncClient, rh_key: str, rh_clock: ManualClock
) -> None:
    """A result URL works until url_ttl_seconds passes (then 403); a forged sign gets 403."""
    files = await finished_outputs(rh_client, rh_key, rh_clock, {"workflowId": SDXL})
    url = files[0]["fileUrl"]
    assert (await rh_client.get(url)).status_code == 200
    forged = url.rsplit("sign=", 1)[0] + "sign=" + "0" * 32
    assert (await rh_client.get(forged)).status_code == 403
    unknown = url.replace("/0.png", "/5.png")
    assert (await rh_client.get(unknown)).status_code == 403
    rh_clock.advance(86400)
    assert (await rh_client.get(url)).status_code == 403


async def test_video_workflow_serves_a_small_mp4(
    rh_client: httpx.AsyncClient, rh_key: str, rh_clock: ManualClock
) -> None:
    """The optional video workflow yields one mp4 output served as video/mp4."""
    files = await finished_outputs(rh_client, rh_key, rh_clock, {"workflowId": VIDEO})
    assert [(f["fileType"], f["nodeId"]) for f in files] == [("mp4", "20")]
    video = await rh_client.get(files[0]["fileUrl"])
    assert video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"


async def test_img2img_needs_a_file_uploaded_with_the_same_key(
    rh_client: httpx.AsyncClient, rh_key: str, rh_emulator: RunningHubEmulator
) -> None:
    """LoadImage.image must name a file this key uploaded (fileName or URL); otherwise 803."""
    other = rh_emulator.register_key()
    upload = await rh_client.post(
        "/openapi/v2/media/upload/binary",
        headers={"Authorization": f"Bearer {other}"},
        files={"file": ("in.png", b"image", "image/png")},
    )
    name = upload.json()["data"]["fileName"]

    def body(key: str, value: str) -> dict[str, Any]:
        item = {"nodeId": "10", "fieldName": "image", "fieldValue": value}
        return {"apiKey": key, "workflowId": IMG2IMG, "nodeInfoList": [item]}

    assert (await post(rh_client, "/task/openapi/create", body(rh_key, name)))["code"] == 803
    assert (await post(rh_client, "/task/openapi/create", body(rh_key, "nope.png")))["code"] == 803
    url = upload.json()["data"]["download_url"]
    assert (await post(rh_client, "/task/openapi/create", body(other, url)))["code"] == 0


async def test_get_json_api_format_returns_the_graph_as_a_string(
    rh_client: httpx.AsyncClient, rh_key: str
) -> None:
    """getJsonApiFormat answers data.prompt as a JSON string of the ComfyUI API graph; 380 else."""
    body = {"apiKey": rh_key, "workflowId": SDXL}
    answer = await post(rh_client, "/api/openapi/getJsonApiFormat", body)
    assert answer["code"] == 0
    assert isinstance(answer["data"]["prompt"], str)
    graph = json.loads(answer["data"]["prompt"])
    assert sorted(graph, key=int) == ["3", "4", "5", "6", "7", "8", "9"]
    assert graph["3"]["inputs"]["latent_image"] == ["5", 0]
    assert graph["6"]["_meta"]["title"] == "Positive"
    assert graph["5"]["inputs"]["width"] == 512
    body["workflowId"] = "42"
    assert (await post(rh_client, "/api/openapi/getJsonApiFormat", body))["code"] == 380
