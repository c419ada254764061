"""`runninghub-bot` command line: run the bot, the emulator, and key-management commands.

runninghub-bot [run]                 start the bot (long polling)
runninghub-bot emulator [--port N]   serve the RunningHub emulator on 127.0.0.1
runninghub-bot sandbox [--script F]  chat with the bot offline (both emulators, one process)
runninghub-bot gen-key               print a fresh master key for BOT_MASTER_KEY
runninghub-bot rotate-keys           re-encrypt stored API keys under the newest master key
runninghub-bot healthcheck           exit 0 while a running bot's heartbeat is fresh
runninghub-bot backup FILE           copy the ledger (with its WAL) into FILE, safely while running
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from bot.config import ConfigError, load_settings


def _run(argv: Sequence[str]) -> int:
    from bot.app import ALLOWED_UPDATES, build_application, webhook_options
    from bot.logs import configure_logging

    settings = load_settings()
    app = build_application(settings)
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    configure_logging(settings.log_level, secrets=[token, *settings.master_keys()])
    if settings.telegram_webhook_url:
        app.run_webhook(**webhook_options(settings))  # type: ignore[arg-type]
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def _emulator(argv: Sequence[str]) -> int:
    from bot.sandbox.runninghub_emulator import emulator_main

    return emulator_main(list(argv))


def _sandbox(argv: Sequence[str]) -> int:
    from bot.sandbox.console import sandbox_main

    return sandbox_main(list(argv))


def _gen_key(argv: Sequence[str]) -> int:
    from storage.cli import gen_key

    print(gen_key())
    return 0


def _rotate_keys(argv: Sequence[str]) -> int:
    from storage.cli import rotate_keys_main

    settings = load_settings()
    settings.require("bot_master_key")
    count = rotate_keys_main(settings.database_path, settings.master_keys())
    print(f"re-encrypted {count} API key(s) under the newest master key")
    return 0


def _healthcheck(argv: Sequence[str]) -> int:
    from bot.health import heartbeat_path, is_alive

    settings = load_settings()
    alive = is_alive(heartbeat_path(settings.database_path))
    print("healthy" if alive else "unhealthy: no heartbeat in the last 90 s")
    return 0 if alive else 1


def _backup(argv: Sequence[str]) -> int:
    import sqlite3

    if len(argv) != 1:
        print("usage: runninghub-bot backup <destination file>", file=sys.stderr)
        return 2
    settings = load_settings()
    with sqlite3.connect(settings.database_path) as source, sqlite3.connect(argv[0]) as target:
        source.backup(target)
    print(f"backed up {settings.database_path} to {argv[0]}")
    return 0


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "run": _run,
    "emulator": _emulator,
    "sandbox": _sandbox,
    "gen-key": _gen_key,
    "rotate-keys": _rotate_keys,
    "healthcheck": _healthcheck,
    "backup": _backup,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch a sub-command; configuration errors print one line and exit 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        args[0] = "help"
    name = args.pop(0) if args and not args[0].startswith("-") else "run"
    if name in ("-h", "--help", "help") or name not in COMMANDS:
        print(__doc__)
        return 0 if name in ("-h", "--help", "help") else 2
    try:
        return COMMANDS[name](args)
    except ConfigError as exc:
        print(f"runninghub-bot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
