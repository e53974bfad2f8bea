"""Each update is handled at most once, even when Telegram delivers it again after a restart.

Telegram counts update ids per bot, so a claim is the pair (bot id, update id): several bots
(a new token, the console's emulator) may share one database without deafening each other.

An update id is claimed (stored) before the update is handled, so a crash between the two
leaves it claimed and a redelivery is not handled again; it is marked answered once handled,
so such a redelivery is told apart from one that was answered (the villager then gets an
apology asking to send it again, never silence). During a campaign hundreds of updates arrive a
second; storing each claim in its own transaction costs a trip to a worker thread and a commit
per update. `UpdateClaims` commits the claims of all updates that arrive while the previous
commit is running in one transaction (a group commit): each update still waits until its own
claim is stored, and the database sees one commit per batch.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Insert, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.core.storage.models import ProcessedUpdate, utcnow
from bot.core.storage.session import Database
from bot.domain.messaging import conversation_state
from bot.domain.messaging.group_commit import GroupCommit

KEEP_FOR = timedelta(days=2)  # Telegram keeps unconfirmed updates for 24 hours
PeopleLookup = Callable[[Session, set[int]], set[int]]


@dataclass(frozen=True)
class Opened:
    """What `UpdateClaims.open` found for the update this task handles."""

    bot_id: int
    update_id: int
    person_id: int
    fresh: bool  # claimed just now (False: a redelivery, already handled)
    flagged: bool  # in the set of `UpdateClaims(flag=...)` (e.g. has an open tip)
    unanswered: bool = False  # a redelivery claimed by a process that died before answering


OPENED: ContextVar[Opened | None] = ContextVar("desabot_opened", default=None)


def opened_for(person_id: int) -> Opened | None:
    """This task's `Opened`, when it is about `person_id` (else None: nothing known)."""
    opened = OPENED.get()
    return opened if opened is not None and opened.person_id == person_id else None


def first_time(db: Database, bot_id: int, update_id: int) -> bool:
    """Claim an update id of a bot; False when it was claimed before (a redelivery)."""
    return update_id in claim_many(db, bot_id, [update_id])


def claim_many(db: Database, bot_id: int, update_ids: Iterable[int]) -> set[int]:
    """Claim several ids in one statement; returns those that were not claimed before.

    INSERT ... ON CONFLICT DO NOTHING RETURNING (PostgreSQL, SQLite >= 3.35) claims and
    reports in one round trip, and a concurrent claim by another process cannot slip in
    between a look and an insert.
    """
    with db.bookkeeping_session() as session:
        return claim_in(session, db, bot_id, update_ids)


def claim_in(session: Session, db: Database, bot_id: int, update_ids: Iterable[int]) -> set[int]:
    """`claim_many` inside the caller's transaction."""
    wanted = sorted(set(update_ids))
    if not wanted:
        return set()
    now = utcnow()
    rows = [{"bot_id": bot_id, "update_id": i, "processed_at": now, "answered": False}
            for i in wanted]
    # One statement for any batch size, run as an executemany: SQLAlchemy compiles it once
    # and sends the rows as one multi-row INSERT ("insertmanyvalues"). `.values(rows)` built
    # and compiled a new statement for every batch, a third of the claim's CPU under load.
    return set(session.connection().scalars(_claim_statement(db.engine.dialect.name), rows))


@functools.cache
def _claim_statement(dialect: str) -> Insert:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (insert(ProcessedUpdate)
            .on_conflict_do_nothing(index_elements=["bot_id", "update_id"])
            .returning(ProcessedUpdate.update_id))


class UpdateClaims:
    """Group commit of update claims; one instance per running bot (its event loop).

    `open` also loads the person's conversation state in the claim's transaction: an update
    of a person then costs the database one batched transaction before its handlers run,
    not two (the result of the claim is kept for `claim`, which the first handler asks).
    """

    def __init__(self, db: Database, bot_id: int, flag: PeopleLookup | None = None) -> None:
        self.db = db
        self.bot_id = bot_id
        self.flag = flag
        self._batches: GroupCommit[tuple[int, int | None], tuple[bool, dict, bool, bool]] = \
            GroupCommit(self._run)
        self._answers: GroupCommit[int, None] = GroupCommit(self._mark_answered)
        self._closes: GroupCommit[tuple[int, int, str | None], None] = GroupCommit(self._close)
        self.ttl = conversation_state.TTL  # how long a saved conversation state lives

    async def claim(self, update_id: int) -> bool:
        """True when this update is new; returns once the claim is stored."""
        known = OPENED.get()
        if known is not None and (known.bot_id, known.update_id) == (self.bot_id, update_id):
            return known.fresh
        fresh, _, _, _ = await self._batches.submit((update_id, None))
        return fresh

    def unanswered(self, update_id: int) -> bool:
        """True when this redelivered update was claimed by a process that died handling it."""
        known = OPENED.get()
        return known is not None and (known.bot_id, known.update_id) == (
            self.bot_id, update_id) and known.unanswered

    async def answered(self, update_id: int) -> None:
        """The update was handled (its answer sent): a redelivery is skipped without a word.

        Before the webhook's 2xx (or the next poll's offset) confirms it to Telegram: after a
        crash, an update Telegram delivers again is then known answered or not.
        """
        await self._answers.submit(update_id)

    async def close(self, update_id: int, person_id: int, state: str | None) -> None:
        """`answered`, and the person's new state saved (JSON; None: unchanged), together.

        The end of an update is then one share of one batched transaction, not of two (the
        state's save and the answered mark): under load one fewer commit per batch. The caller
        still holds the person's lock, so their next update reads what this one left.
        """
        await self._closes.submit((update_id, person_id, state))

    async def open(self, update_id: int, person_id: int) -> dict:
        """Claim the update and return its person's conversation state, in one transaction.

        What was found is kept in this task's context (`OPENED`): `claim` and the handlers
        read it instead of asking the database again.
        """
        fresh, state, flagged, unanswered = await self._batches.submit((update_id, person_id))
        OPENED.set(Opened(self.bot_id, update_id, person_id, fresh, flagged, unanswered))
        return state

    def _run(self, items: list[tuple[int, int | None]]) -> list[tuple[bool, dict, bool, bool]]:
        people = {p for _, p in items if p is not None}
        with self.db.bookkeeping_session() as session:
            ids = [i for i, _ in items]
            fresh = claim_in(session, self.db, self.bot_id, ids)
            seen = set(ids) - fresh  # redeliveries (rare): answered before, or not?
            unanswered = set(session.scalars(select(ProcessedUpdate.update_id).where(
                ProcessedUpdate.bot_id == self.bot_id, ProcessedUpdate.update_id.in_(seen),
                ProcessedUpdate.answered.is_(False)))) if seen else set()
            states = conversation_state.load_in(session, people) if people else {}
            flagged = self.flag(session, people) if people and self.flag else set()
        out = []
        for update_id, person in items:
            out.append((update_id in fresh, states.get(person, {}), person in flagged,
                        update_id in unanswered))
            fresh.discard(update_id)  # the same id twice in one batch: only once
        return out

    def _mark_answered(self, update_ids: list[int]) -> list[None]:
        with self.db.bookkeeping_session() as session:
            self._mark_in(session, update_ids)
        return [None] * len(update_ids)

    def _mark_in(self, session: Session, update_ids: Iterable[int]) -> None:
        session.execute(update(ProcessedUpdate).where(
            ProcessedUpdate.bot_id == self.bot_id,
            ProcessedUpdate.update_id.in_(sorted(set(update_ids)))).values(answered=True))

    def _close(self, items: list[tuple[int, int, str | None]]) -> list[None]:
        states = [(person, state) for _, person, state in items if state is not None]
        with self.db.bookkeeping_session() as session:
            conversation_state.save_in(session, self.db, states, self.ttl)
            self._mark_in(session, [update_id for update_id, _, _ in items])
        return [None] * len(items)


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
