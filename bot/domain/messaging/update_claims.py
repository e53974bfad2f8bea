"""Each update is handled at most once, even when Telegram delivers it again after a restart.

Telegram counts update ids per bot, so a claim is the pair (bot id, update id): several bots
(a new token, the console's emulator) may share one database without deafening each other.

An update id is claimed (stored) before the update is handled, so a crash between the two
leaves it claimed and a redelivery is skipped. During a campaign hundreds of updates arrive a
second; storing each claim in its own transaction costs a trip to a worker thread and a commit
per update. `UpdateClaims` commits the claims of all updates that arrive while the previous
commit is running in one transaction (a group commit): each update still waits until its own
claim is stored, and the database sees one commit per batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.core.storage.models import ProcessedUpdate, utcnow
from bot.core.storage.session import Database

KEEP_FOR = timedelta(days=2)  # Telegram keeps unconfirmed updates for 24 hours


def first_time(db: Database, bot_id: int, update_id: int) -> bool:
    """Claim an update id of a bot; False when it was claimed before (a redelivery)."""
    return update_id in claim_many(db, bot_id, [update_id])


def claim_many(db: Database, bot_id: int, update_ids: Iterable[int]) -> set[int]:
    """Claim several ids in one statement; returns those that were not claimed before.

    INSERT ... ON CONFLICT DO NOTHING RETURNING (PostgreSQL, SQLite >= 3.35) claims and
    reports in one round trip, and a concurrent claim by another process cannot slip in
    between a look and an insert.
    """
    wanted = sorted(set(update_ids))
    if not wanted:
        return set()
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = (insert(ProcessedUpdate)
                 .values([{"bot_id": bot_id, "update_id": i, "processed_at": utcnow()}
                          for i in wanted])
                 .on_conflict_do_nothing(index_elements=["bot_id", "update_id"])
                 .returning(ProcessedUpdate.update_id))
    with db.bookkeeping_session() as session:
        return set(session.scalars(statement))


class UpdateClaims:
    """Group commit of update claims; one instance per running bot (its event loop)."""

    def __init__(self, db: Database, bot_id: int) -> None:
        self.db = db
        self.bot_id = bot_id
        self._waiting: list[tuple[int, asyncio.Future[bool]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def claim(self, update_id: int) -> bool:
        """True when this update is new; returns once the claim is stored."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((update_id, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                fresh = await asyncio.to_thread(claim_many, self.db, self.bot_id,
                                              [i for i, _ in batch])
            except Exception as exc:  # noqa: BLE001 - every waiting update gets the error
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for update_id, future in batch:
                if not future.done():
                    future.set_result(update_id in fresh)
                fresh.discard(update_id)  # the same id twice in one batch: only once


def forget_old(db: Database) -> int:
    """Drop ids older than Telegram could ever redeliver."""
    with db.session() as session:
        return session.execute(delete(ProcessedUpdate).where(
            ProcessedUpdate.processed_at < utcnow() - KEEP_FOR)).rowcount or 0


def forget_bot(db: Database, bot_id: int) -> int:
    """Drop every claim of one bot: its update ids start again (the console's new emulator)."""
    with db.session() as session:
        return session.execute(delete(ProcessedUpdate).where(
            ProcessedUpdate.bot_id == bot_id)).rowcount or 0
