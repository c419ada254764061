"""Random Telegram updates through the real Application: never an unhandled error, always a reply.

One bot (and its two emulators) serves every example of the module. Commands with random
arguments must each get an answer; any text, with any well-placed entities, and photos with
any caption must never reach the error handler ("error handling", logged at ERROR).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.sandbox.rh_media import png
from bot.sandbox.runninghub_emulator import EmulatorConfig, RunningHubEmulator
from bot.sandbox.telegram_emulator import TelegramEmulator
from bot.sandbox.tg_markup import command_entities
from bot.sandbox.tg_state import snapshot
from tests.e2e.env import Env, make_settings
from tests.faults.chat import answers, wait_until
from tests.faults.strategies import commands, entities, texts

pytestmark = pytest.mark.asyncio(loop_scope="module")
USER = 6001
FUZZ = settings(max_examples=120, deadline=None, database=None)
PHOTO = png(8, 8, "fuzz")


class Errors(logging.Handler):
    """Collects every record at ERROR or above, from any logger."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def report(self) -> list[str]:
        """One line per record: logger, message, exception type."""
        return [
            f"{r.name}: {r.getMessage()} {r.exc_info[0].__name__ if r.exc_info and r.exc_info[0] else ''}"
            for r in self.records
        ]


@dataclass
class Fuzzed:
    """The shared bot, its emulators and the error log."""

    env: Env
    errors: Errors
    sent: list[int] = field(default_factory=list)

    @property
    def tg(self) -> TelegramEmulator:
        """The fake Telegram."""
        return self.env.tg

    def push(self, text: str, entity_list: list[dict[str, Any]]) -> int:
        """Queue a private message with exactly these entities; return its id."""
        world = self.tg.core.world
        fields: dict[str, Any] = {"text": text}
        if entity_list:
            fields["entities"] = entity_list
        message = world.add_message(world.private_chat(USER), world.user(USER), fields)
        self.tg.core.updates.push("message", snapshot(message))
        return int(message["message_id"])

    async def settled(self) -> None:
        """Wait until the bot answered a /help sent after everything else (updates drained)."""
        sentinel = int(self.tg.send_message(USER, "/help")["message_id"])
        await wait_until(lambda: bool(answers(self.tg, USER, sentinel)), within=10)
        assert not self.errors.records, self.errors.report()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Fuzzed]:
    """One bot for the whole module, with a key set for the user; ERROR records collected."""
    config = EmulatorConfig(queue_seconds=0.05, run_seconds=0.1)
    async with RunningHubEmulator(config) as rh, TelegramEmulator() as tg:
        db = tmp_path_factory.mktemp("fuzz") / "bot.sqlite3"
        env = Env(tg=tg, rh=rh, settings=make_settings(tg, rh, db), key=rh.register_key())
        errors = Errors()
        logging.getLogger().addHandler(errors)
        await env.start()
        try:
            await env.setkey(user=USER)
            yield Fuzzed(env, errors)
        finally:
            await env.stop()
            logging.getLogger().removeHandler(errors)


@FUZZ
@given(command=commands)
async def test_every_command_with_random_arguments_gets_a_reply(
    fuzzed: Fuzzed, command: str
) -> None:
    """/run, /status, /cancel, /preset, /setkey … with junk arguments: a reply, no error."""
    message = int(fuzzed.tg.send_message(USER, command)["message_id"])
    await wait_until(lambda: bool(answers(fuzzed.tg, USER, message)), within=10, what=command)
    assert not fuzzed.errors.records, fuzzed.errors.report()


@settings(max_examples=60, deadline=None, database=None)
@given(data=st.data(), text=texts)
async def test_any_text_with_any_entities_never_errors(
    fuzzed: Fuzzed, data: st.DataObject, text: str
) -> None:
    """Text of any kind with random well-placed entities is handled or ignored, never an error."""
    extra = data.draw(entities(text))
    fuzzed.push(text, sorted(command_entities(text) + extra, key=lambda e: int(e["offset"])))
    await fuzzed.settled()


@settings(max_examples=15, deadline=None, database=None)
@given(caption=st.one_of(texts, st.just("/run"), commands.map(lambda c: "/run" + c[c.find(" ") :])))
async def test_photos_with_any_caption_never_error(fuzzed: Fuzzed, caption: str) -> None:
    """A photo with any caption (a /run caption or not) never reaches the error handler."""
    message = int(fuzzed.tg.send_message(USER, photo=PHOTO, caption=caption)["message_id"])
    if caption.split(maxsplit=1)[:1] == ["/run"]:
        await wait_until(lambda: bool(answers(fuzzed.tg, USER, message)), within=10)
    await fuzzed.settled()
