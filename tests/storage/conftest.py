"""Fixtures for the storage tests: a fresh database file, a fake clock, the repositories."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.crypto import KeyCipher, generate_master_key
from storage.database import Database
from storage.keys import ApiKeys
from storage.outputs import Outputs
from storage.presets import ChatSettings, Presets
from storage.tasks import Tasks
from storage.users import Users


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ledger.sqlite3"


@pytest.fixture
async def db(db_path: Path, clock: FakeClock) -> AsyncIterator[Database]:
    database = await Database.open(db_path, clock=clock)
    yield database
    await database.close()


@pytest.fixture
def master_key() -> str:
    return generate_master_key()


@pytest.fixture
def cipher(master_key: str) -> KeyCipher:
    return KeyCipher([master_key])


@pytest.fixture
def users(db: Database, clock: FakeClock) -> Users:
    return Users(db, clock)


@pytest.fixture
def api_keys(db: Database, cipher: KeyCipher, clock: FakeClock) -> ApiKeys:
    return ApiKeys(db, cipher, clock)


@pytest.fixture
def tasks(db: Database, clock: FakeClock) -> Tasks:
    return Tasks(db, clock)


@pytest.fixture
def outputs(db: Database, clock: FakeClock) -> Outputs:
    return Outputs(db, clock)


@pytest.fixture
def presets(db: Database, clock: FakeClock) -> Presets:
    return Presets(db, clock)


@pytest.fixture
def chat_settings(db: Database, clock: FakeClock) -> ChatSettings:
    return ChatSettings(db, clock)
