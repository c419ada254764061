"""The whole ledger in one object, for the composition root: open once, close once."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from storage.crypto import KeyCipher
from storage.database import Database
from storage.keys import ApiKeys
from storage.outputs import Outputs
from storage.presets import ChatSettings, Presets
from storage.records import Clock
from storage.tasks import Tasks
from storage.users import Users


@dataclass(frozen=True, slots=True)
class Ledger:
    """Every repository over one Database."""

    db: Database
    users: Users
    api_keys: ApiKeys
    tasks: Tasks
    outputs: Outputs
    presets: Presets
    chat_settings: ChatSettings

    @classmethod
    async def open(cls, path: str | Path, cipher: KeyCipher, clock: Clock = time.time) -> Ledger:
        """Open the database (migrating it) and build the repositories."""
        db = await Database.open(path, clock=clock)
        return cls(
            db=db,
            users=Users(db, clock),
            api_keys=ApiKeys(db, cipher, clock),
            tasks=Tasks(db, clock),
            outputs=Outputs(db, clock),
            presets=Presets(db, clock),
            chat_settings=ChatSettings(db, clock),
        )

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()
