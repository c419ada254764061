"""A small disk that can be filled up: tmpfs in the bot's own user and mount namespace.

`unshare --user --map-root-user --mount` needs no root where unprivileged user namespaces are
allowed; the tmpfs exists only inside the bot process (and dies with it). From outside, its
files are reached through `/proc/<pid>/root` with plain system calls — SQLite cannot open them
that way (it resolves the magic link to the host's empty directory), so tests watch the bot
through the emulators while the disk is in use.

Why not RLIMIT_FSIZE: verified here, a write crossing the limit is short, SQLite retries the
rest, the retry fails with EFBIG, and SQLite reports SQLITE_IOERR_WRITE ("disk I/O error").
Only ENOSPC — a really full filesystem — becomes SQLITE_FULL ("database or disk is full").
"""

from __future__ import annotations

import contextlib
import errno
import shutil
from pathlib import Path

FILLER = "filler.bin"
_MOUNT_THEN_EXEC = 'mount -t tmpfs -o "size=$1" tmpfs "$0" && shift && exec "$@"'


def on_tmpfs(mountpoint: Path, size: str, argv: list[str]) -> list[str]:
    """Wrap `argv` so it runs with a fresh tmpfs of `size` (e.g. "16m") on `mountpoint`."""
    unshare = shutil.which("unshare")
    assert unshare is not None, "the disk-full test needs util-linux `unshare` on PATH"
    return [unshare, "--user", "--map-root-user", "--mount", "sh", "-c", _MOUNT_THEN_EXEC,
            str(mountpoint), size, *argv]  # fmt: skip


def seen_from(pid: int, path: Path) -> Path:
    """`path` as the process `pid` sees it (its mount namespace)."""
    return Path(f"/proc/{pid}/root") / path.resolve().relative_to("/")


def fill(pid: int, mountpoint: Path) -> int:
    """Write a filler file until the process's tmpfs is full; return the bytes written."""
    written = 0
    chunk = b"\0" * 65536
    with seen_from(pid, mountpoint / FILLER).open("wb", buffering=0) as out:
        while True:
            try:
                written += out.write(chunk) or 0
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                return written


def free(pid: int, mountpoint: Path) -> None:
    """Delete the filler file: the disk has room again."""
    with contextlib.suppress(FileNotFoundError):
        seen_from(pid, mountpoint / FILLER).unlink()
