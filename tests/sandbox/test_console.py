"""The sandbox console end to end: the demo script, failing expectations, stdin, the CLI."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.sandbox.console import interactive, play_lines, play_script, sandbox_main
from bot.sandbox.console_session import SandboxOptions

ROOT = Path(__file__).resolve().parents[2]


def fast(tmp_path: Path, *, expect_timeout: float = 10.0, quiet: bool = False) -> SandboxOptions:
    """Sandbox options with sub-second task times and files saved under `tmp_path`."""
    return SandboxOptions(
        out_dir=tmp_path / "out",
        queue_seconds=0.1,
        run_seconds=0.3,
        expect_timeout=expect_timeout,
        inline_timeout=0.5,
        quiet=quiet,
    )


async def test_demo_script_passes_and_saves_the_png(tmp_path: Path) -> None:
    """sandbox/demo.txt plays to the end (every :expect holds) and the result PNG is saved."""
    printed: list[str] = []
    code = await play_script(ROOT / "sandbox" / "demo.txt", fast(tmp_path), out=printed.append)
    assert code == 0, "\n".join(printed)
    saved = sorted((tmp_path / "out").glob("*.png"))
    assert saved
    assert saved[0].read_bytes().startswith(b"\x89PNG")
    transcript = "\n".join(printed)
    assert "[card #" in transcript
    assert "edited]" in transcript
    assert "[ ✖️ Cancel ] [ 🔄 Refresh ]" in transcript
    assert "API key: " in transcript


async def test_failed_expect_exits_non_zero_and_shows_what_was_seen(tmp_path: Path) -> None:
    """An :expect that never holds ends the script with 1, naming the text and the output seen."""
    printed: list[str] = []
    lines = ["/start", ":expect no such reply", ":expect never reached"]
    code = await play_lines(lines, fast(tmp_path, expect_timeout=0.5), out=printed.append)
    assert code == 1
    failure = next(line for line in printed if line.startswith("FAILED"))
    assert "'no such reply'" in failure
    assert "/setkey" in failure
    assert not any("never reached" in line and "FAILED" in line for line in printed)


async def test_expect_media_fails_when_nothing_arrived(tmp_path: Path) -> None:
    """:expect-media without any photo or file since the last message fails, showing nothing."""
    printed: list[str] = []
    lines = ["# a comment", "", ":expect-media"]
    code = await play_lines(lines, fast(tmp_path, expect_timeout=0.3), out=printed.append)
    assert code == 1
    assert any("a photo, album, video or document" in line for line in printed)
    assert any("(nothing)" in line for line in printed)


async def test_usage_error_fails_a_script(tmp_path: Path) -> None:
    """A misspelt sandbox command stops a script with 1 and a hint to :help."""
    printed: list[str] = []
    code = await play_lines([":exepct Done"], fast(tmp_path, quiet=True), out=printed.append)
    assert code == 1
    assert printed == ["error: unknown sandbox command :exepct; type :help for the list"]


async def test_interactive_reads_lines_until_quit(tmp_path: Path) -> None:
    """Typed lines run in order; errors are printed and the chat goes on; :quit ends with 0."""
    typed = io.StringIO(
        ":frobnicate\n:help\n:expect nothing\n/start\n:expect /setkey\n:quit\n:after-quit\n"
    )
    printed: list[str] = []
    code = await interactive(fast(tmp_path, expect_timeout=0.2), typed, out=printed.append)
    transcript = "\n".join(printed)
    assert code == 0
    assert "error: unknown sandbox command :frobnicate" in transcript
    assert ":reply-photo <path>" in transcript
    assert "FAILED: expected output containing 'nothing'" in transcript
    assert "· seen '/setkey'" in transcript
    assert "after-quit" not in transcript


async def test_interactive_ends_cleanly_at_end_of_input(tmp_path: Path) -> None:
    """End of input (Ctrl-D) stops the bot and both emulators and returns 0."""
    printed: list[str] = []
    code = await interactive(fast(tmp_path), io.StringIO("/help\n"), out=printed.append)
    assert code == 0
    assert any("Commands:" in line for line in printed)


async def test_a_crash_is_reported_with_a_non_zero_exit(tmp_path: Path) -> None:
    """When the sandbox cannot start (no folder for its database) it reports it and exits 1."""
    printed: list[str] = []
    (tmp_path / "file").write_text("not a folder")
    options = SandboxOptions(out_dir=tmp_path / "out", db_path=tmp_path / "file" / "db.sqlite3")
    code = await play_lines(["/start"], options, out=printed.append)
    assert code == 1
    assert printed[-1].startswith("sandbox crashed: ")


def test_missing_script_file_is_exit_code_2(tmp_path: Path) -> None:
    """`sandbox --script` naming no file fails fast with 2, before anything starts."""
    assert sandbox_main(["--script", str(tmp_path / "absent.txt")]) == 2


def test_cli_plays_a_script_in_a_subprocess(tmp_path: Path) -> None:
    """`python -m bot sandbox --script FILE` runs the conversation and exits 0."""
    script = tmp_path / "hello.txt"
    script.write_text("/start\n:expect /setkey\n/setkey {key}\n:expect Key saved\n")
    db = tmp_path / "db" / "bot.sqlite3"
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [
            *(sys.executable, "-m", "bot", "sandbox", "--script", str(script), "--db", str(db)),
            *("--out", str(tmp_path / "out"), "--queue-seconds", "0.1", "--run-seconds", "0.2"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "> /setkey {key}" in done.stdout
    assert "Key saved" in done.stdout
    assert db.is_file()
