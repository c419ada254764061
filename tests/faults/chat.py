"""Users' side of the fault tests: send commands, wait for answers, count what was delivered."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.i18n import for_language
from bot.sandbox.telegram_emulator import Call, TelegramEmulator

SDXL = "1904136902449209346"
MULTI = "1904136902449209352"
RESULT_METHODS = ("sendPhoto", "sendMediaGroup", "sendDocument", "sendVideo", "sendAnimation")
UNKNOWN_TEXT = "don't know whether RunningHub received"
BUSY_TEXT = "database is busy"
ENGLISH = for_language("en")


def say(tg: TelegramEmulator, user: int, text: str) -> int:
    """A user writes in their private chat; return the message id."""
    return int(tg.send_message(user, text)["message_id"])


def replied_to(call: Call) -> int | None:
    """The message id a bot call replies to, if any."""
    reply = call.params.get("reply_parameters")
    if isinstance(reply, dict) and "message_id" in reply:
        return int(reply["message_id"])
    legacy = call.params.get("reply_to_message_id")
    return int(legacy) if legacy is not None else None


def answers(tg: TelegramEmulator, chat_id: int, message_id: int) -> list[Call]:
    """Accepted bot calls in a chat that reply to one message."""
    return [
        call
        for call in tg.calls
        if call.ok and str(call.params.get("chat_id")) == str(chat_id)
        and replied_to(call) == message_id
    ]  # fmt: skip


def texts(tg: TelegramEmulator, chat_id: int, message_id: int) -> list[str]:
    """Texts of the accepted sendMessage answers to one message."""
    return [
        str(call.params.get("text", ""))
        for call in answers(tg, chat_id, message_id)
        if call.method == "sendMessage"
    ]


def result_items(tg: TelegramEmulator, chat_id: int, message_id: int) -> int:
    """How many result files reached the chat for one /run (an album counts its items)."""
    total = 0
    for call in answers(tg, chat_id, message_id):
        if call.method == "sendMediaGroup":
            total += len(call.params.get("media") or [])
        elif call.method in RESULT_METHODS:
            total += 1
    return total


async def wait_until(
    condition: Callable[[], object], *, within: float = 15.0, what: str = "condition"
) -> None:
    """Poll a zero-argument callable until it returns true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"{what} still false after {within}s")
        await asyncio.sleep(0.02)


async def setkey(tg: TelegramEmulator, user: int, key: str, *, within: float = 10.0) -> None:
    """Store a RunningHub key for a user through /setkey and wait for the confirmation."""
    message_id = say(tg, user, f"/setkey {key}")
    await wait_until(
        lambda: any("Key saved" in t for t in texts(tg, user, message_id)),
        within=within,
        what=f"key saved for user {user}",
    )


def card_text(tg: TelegramEmulator, chat_id: int, message_id: int) -> str:
    """The current text of the status card replying to a /run message ('' if none yet)."""
    for message in tg.bot_messages(chat_id):
        reply = message.get("reply_to_message") or {}
        if reply.get("message_id") == message_id and message.get("reply_markup"):
            return str(message.get("text") or "")
    return ""


def card_in(tg: TelegramEmulator, chat_id: int, message_id: int, state: str) -> bool:
    """Whether the card of a /run shows `state` (a `card.state.*` key) on its first line."""
    first = card_text(tg, chat_id, message_id).split("\n", 1)[0]
    label = ENGLISH.t(f"card.state.{state}", position=1).split(" (")[0]
    return first.partition(" ")[2].startswith(label)


def photos(tg: TelegramEmulator, chat_id: int, message_id: int) -> int:
    """Accepted sendPhoto calls answering one /run."""
    return sum(1 for call in answers(tg, chat_id, message_id) if call.method == "sendPhoto")
