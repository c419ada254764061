"""`runninghub-bot sandbox`: chat with the real bot offline, in the terminal.

One process, one event loop: the RunningHub emulator, the fake Telegram server and the bot.
Interactively you type as a Telegram user (plus colon commands, see `:help`); with
`--script FILE` a conversation is played from a file and its `:expect` lines are checked
(exit 0 when all hold, 1 on a failed expectation, a usage error or a crash).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import traceback
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import TextIO

from bot.logs import configure_logging
from bot.sandbox.console_chat import Chat, ExpectationError
from bot.sandbox.console_commands import Commands, UsageError
from bot.sandbox.console_input import read_lines
from bot.sandbox.console_session import DEFAULT_OUT, Sandbox, SandboxOptions
from bot.sandbox.runninghub_emulator import banner

Out = Callable[[str], None]


def _print(text: str) -> None:
    print(text, flush=True)


def intro(sandbox: Sandbox) -> str:
    """The emulator's key and catalogue, then a three-line hint."""
    out = sandbox.options.out_dir
    return "\n".join(
        [
            banner(sandbox.rh, sandbox.key),
            "",
            "Type as a Telegram user would: /start, /setkey {key}, "
            '/run 1904136902449209346 6.text="a red fox"',
            "Sandbox commands start with a colon (:help lists them; :quit or Ctrl-D ends).",
            f"{{key}} stands for the API key above; files the bot sends are saved in {out}/.",
        ]
    )


async def _lines_of(lines: Iterable[str]) -> AsyncGenerator[str, None]:
    for line in lines:
        yield line


@contextlib.asynccontextmanager
async def open_console(
    options: SandboxOptions, out: Out = _print, *, configure_logs: bool = False
) -> AsyncIterator[Commands]:
    """A started sandbox whose bot output is printed to `out`; yields the line executor.

    With `configure_logs` the root logger is set to WARNING with the sandbox's secrets redacted
    (the CLI does this; tests leave logging alone).
    """
    sandbox = Sandbox(options)
    if configure_logs:
        configure_logging("WARNING", secrets=sandbox.secrets())
    async with sandbox:
        chat = Chat(sandbox, out)
        chat.start()
        try:
            yield Commands(chat, sandbox.key, out)
        finally:
            await chat.stop()


async def _converse(console: Commands, lines: AsyncIterator[str], *, script: bool) -> int:
    quiet = console.chat.sandbox.options.quiet
    async for raw in lines:
        line = raw.strip()
        if script and (not line or line.startswith("#")):
            continue
        if script and not quiet:
            console.chat.flush()
            console.out(f"> {line}")
        try:
            if not await console.execute(line):
                return 0
        except (ExpectationError, UsageError) as exc:
            console.out(f"{'FAILED' if isinstance(exc, ExpectationError) else 'error'}: {exc}")
            if script:
                return 1
    await console.chat.settle()  # end of input: show the answers to the last lines
    return 0


async def run_console(
    options: SandboxOptions,
    lines: AsyncGenerator[str, None],
    *,
    script: bool,
    out: Out = _print,
    configure_logs: bool = False,
) -> int:
    """Start the sandbox, play `lines` (a script, or what is typed), stop; the exit code."""
    try:
        async with (
            open_console(options, out, configure_logs=configure_logs) as console,
            contextlib.aclosing(lines) as stream,
        ):
            if not options.quiet:
                out(intro(console.chat.sandbox))
            return await _converse(console, stream, script=script)
    except Exception as exc:  # a crash of the bot or the sandbox: report it, exit non-zero
        out(f"sandbox crashed: {type(exc).__name__}: {exc}")
        traceback.print_exc(file=sys.stderr)
        return 1


async def play_lines(lines: Iterable[str], options: SandboxOptions, *, out: Out = _print) -> int:
    """Play a conversation (one message or sandbox command per line); the exit code."""
    return await run_console(options, _lines_of(lines), script=True, out=out)


async def play_script(path: Path, options: SandboxOptions, *, out: Out = _print) -> int:
    """Play a script file (`#` comments and blank lines ignored); the exit code."""
    text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    return await play_lines(text.splitlines(), options, out=out)


async def interactive(
    options: SandboxOptions, stream: TextIO | None = None, *, out: Out = _print
) -> int:
    """Chat from a terminal (or any text stream) until `:quit` or end of input."""
    source = read_lines(stream if stream is not None else sys.stdin)
    return await run_console(options, source, script=False, out=out)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The sandbox's command-line arguments."""
    parser = argparse.ArgumentParser(prog="runninghub-bot sandbox", description=__doc__)
    parser.add_argument("--script", type=Path, help="play a conversation from FILE, then exit")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where sent files go")
    parser.add_argument("--db", type=Path, help="bot database (default: fresh temp file)")
    parser.add_argument("--queue-seconds", type=float, default=1.0, help="emulated queue time")
    parser.add_argument("--run-seconds", type=float, default=3.0, help="emulated run time")
    parser.add_argument("--quiet", action="store_true", help="print only failures")
    return parser.parse_args(argv)


def sandbox_main(argv: list[str]) -> int:
    """CLI entry: 0 when the chat ends cleanly (or every expectation holds), 1 otherwise."""
    args = parse_args(argv)
    options = SandboxOptions(
        out_dir=args.out,
        db_path=args.db,
        queue_seconds=args.queue_seconds,
        run_seconds=args.run_seconds,
        quiet=args.quiet,
    )
    if args.script is not None and not args.script.is_file():
        print(f"error: no such script: {args.script}", file=sys.stderr)
        return 2
    try:
        if args.script is not None:
            lines = args.script.read_text(encoding="utf-8").splitlines()
            source = _lines_of(lines)
            return asyncio.run(run_console(options, source, script=True, configure_logs=True))
        return asyncio.run(
            run_console(options, read_lines(sys.stdin), script=False, configure_logs=True)
        )
    except KeyboardInterrupt:
        print()
        return 130
