"""Result files: streamed from RunningHub's file host with a size cap, never with the API key."""

from __future__ import annotations

import httpx

from bot.runninghub.errors import TransientError


async def download(
    http: httpx.AsyncClient, url: str, max_bytes: int, read_timeout: float
) -> bytes | None:
    """Fetch `url` into memory; None as soon as it proves larger than `max_bytes`."""
    try:
        async with http.stream("GET", url, timeout=read_timeout) as response:
            if response.status_code >= 400:
                raise TransientError(
                    f"RunningHub file host answered HTTP {response.status_code}",
                    http_status=response.status_code,
                )
            if response.headers.get("content-type", "").startswith("text/html"):
                # an error page from a proxy or CDN, not the result: try again later
                raise TransientError("RunningHub file host answered with an HTML page")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                return None
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    return None
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise TransientError(f"download of a result file failed ({type(exc).__name__})") from None
