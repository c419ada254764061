"""What one typed line does: a message to the bot, or a colon command of the sandbox.

`{key}` anywhere in a line stands for the emulator's API key. Colon commands switch the user
or chat, send photos, press buttons, send inline queries, wait, and assert on the bot's output
(`:expect`, `:expect-media`); misuse raises `UsageError` with a hint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.sandbox.console_chat import GROUP_ID, Chat
from bot.sandbox.console_render import Entry

HELP = """\
Sandbox commands (any other line is sent to the bot as a message; {key} is the API key):
  :user <id> [lang]        be another Telegram user (lang: en, ru, …)
  :chat private|group      your private chat with the bot, or the sandbox supergroup
  :photo <path> [caption]  send a local image, e.g. with the caption /run 1904136902449209350
  :reply-photo <path>      send an image; your next message replies to it
  :inline <query>          send an inline query and list the bot's answers
  :press <text>            press the button containing <text> on the bot's latest keyboard
  :wait <seconds>          wait, showing what the bot does meanwhile
  :expect <text>           wait (30 s) until the bot's output since your last message has <text>
  :expect-media            wait until a photo, album, video or document arrived since then
  :help                    this list
  :quit                    stop the sandbox (Ctrl-D works too)"""

Handler = Callable[[str], Awaitable[bool]]


class UsageError(Exception):
    """A sandbox command was misused; the message says how to use it."""


def split_path(args: str) -> tuple[str, str]:
    """Split `<path> [rest]`; a path with spaces may be quoted."""
    args = args.strip()
    if args[:1] in ("'", '"'):
        end = args.find(args[0], 1)
        if end > 0:
            return args[1:end], args[end + 1 :].strip()
    path, _, rest = args.partition(" ")
    return path, rest.strip()


class Commands:
    """Executes typed lines against one `Chat`."""

    def __init__(self, chat: Chat, key: str, out: Callable[[str], None]) -> None:
        self.chat = chat
        self.key = key
        self.out = out
        self.table: dict[str, Handler] = {
            "user": self._user,
            "chat": self._chat,
            "photo": self._photo,
            "reply-photo": self._reply_photo,
            "inline": self._inline,
            "press": self._press,
            "wait": self._wait,
            "expect": self._expect,
            "expect-media": self._expect_media,
            "help": self._help,
            "quit": self._quit,
        }

    async def execute(self, line: str) -> bool:
        """Run one line; return False when the sandbox should stop."""
        line = line.strip().replace("{key}", self.key)
        if not line:
            return True
        if not line.startswith(":"):
            self.chat.say(line)
            return True
        name, _, args = line[1:].partition(" ")
        handler = self.table.get(name.lower())
        if handler is None:
            raise UsageError(f"unknown sandbox command :{name}; type :help for the list")
        return await handler(args.strip())

    def _note(self, text: str) -> None:
        if not self.chat.sandbox.options.quiet:
            self.out(f"· {text}")

    async def _user(self, args: str) -> bool:
        parts = args.split()
        if not 1 <= len(parts) <= 2 or not parts[0].isdigit() or int(parts[0]) <= 0:
            raise UsageError("usage: :user <id> [lang], e.g. :user 1002 ru")
        self.chat.switch_user(int(parts[0]), parts[1] if len(parts) == 2 else None)
        self._note(f"you are user {self.chat.user_id}, in chat {self.chat.chat_id}")
        return True

    async def _chat(self, args: str) -> bool:
        if args not in ("private", "group"):
            raise UsageError("usage: :chat private | :chat group")
        created = self.chat.switch_chat(args)
        if args == "private":
            self._note(f"private chat of user {self.chat.user_id}")
        else:
            admin = f"; user {self.chat.user_id} is its admin" if created else ""
            self._note(f"supergroup {GROUP_ID}{admin}")
        return True

    def _image(self, args: str, usage: str) -> tuple[Path, str]:
        path_text, rest = split_path(args)
        if not path_text:
            raise UsageError(usage)
        path = Path(path_text).expanduser()
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        return path, rest

    async def _photo(self, args: str) -> bool:
        path, caption = self._image(args, "usage: :photo <path> [caption]")
        self.chat.send_photo(path, caption or None, keep_for_reply=False)
        return True

    async def _reply_photo(self, args: str) -> bool:
        path, rest = self._image(args, "usage: :reply-photo <path>")
        if rest:
            raise UsageError("usage: :reply-photo <path> (then type the message that replies)")
        message_id = self.chat.send_photo(path, None, keep_for_reply=True)
        self._note(f"photo #{message_id} sent; your next message replies to it")
        return True

    async def _inline(self, args: str) -> bool:
        if not await self.chat.inline(args):
            self.out("· no answer to the inline query (the bot may not support inline mode)")
        return True

    async def _press(self, args: str) -> bool:
        if not args:
            raise UsageError("usage: :press <text on the button>")
        try:
            label = self.chat.press(args)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        self._note(f"pressed [ {label} ]")
        return True

    async def _wait(self, args: str) -> bool:
        try:
            seconds = float(args)
        except ValueError:
            raise UsageError("usage: :wait <seconds>") from None
        if not 0 <= seconds <= 3600:
            raise UsageError("usage: :wait <seconds> (0 to 3600)")
        await asyncio.sleep(seconds)
        self.chat.flush()
        return True

    async def _expect(self, args: str) -> bool:
        if not args:
            raise UsageError("usage: :expect <text>")

        def found(entries: list[Entry]) -> bool:
            return any(args in entry.text for entry in entries)

        await self.chat.wait_output(found, f"output containing {args!r}")
        self._note(f"seen {args!r}")
        return True

    async def _expect_media(self, args: str) -> bool:
        def found(entries: list[Entry]) -> bool:
            return any(entry.media for entry in entries)

        await self.chat.wait_output(found, "a photo, album, video or document")
        self._note("media arrived")
        return True

    async def _help(self, args: str) -> bool:
        self.out(HELP)
        return True

    async def _quit(self, args: str) -> bool:
        return False
