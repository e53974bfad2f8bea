"""Broadcasts: one stored delivery per recipient chat, before anything is sent.

The delivery rows are the source of truth: a killed process resumes from them, and a chat
gets each broadcast at most once because (broadcast, chat) is unique, a row is claimed by one
process (`next_jobs`) and marked `sending` before its request leaves, and a send whose answer
was lost is marked `unknown`, never retried.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import case, insert, select, tuple_, update
from sqlalchemy.orm import Session

from bot.core.storage.models import Base, Broadcast, Delivery, utcnow
from bot.core.storage.session import Database
from bot.domain.messaging.bots import BotShare, village_bot
from bot.domain.programme.membership import recipients


@dataclass(frozen=True)
class Progress:
    """How far a broadcast is."""

    total: int
    sent: int
    failed: int  # blocked the bot, left the group, refused by Telegram
    pending: int
    unknown: int = 0  # may have arrived; never sent again (at most once)

    @property
    def done(self) -> bool:
        """Nothing left to send."""
        return self.pending == 0


@dataclass(frozen=True)
class Job:
    """One delivery to send, detached from the session."""

    id: int
    broadcast_id: int
    chat_id: int
    is_group: bool
    kind: str
    content: dict
    village_id: int
    attempts: int
    claimed_at: datetime | None = None  # this process's claim; see start_sending


def create(db: Database, village_id: int, kind: str, content: dict, created_by: int | None,
           scheduled_for: datetime | None = None, campaign_id: int | None = None,
           progress_chat_id: int | None = None) -> int:
    """Store a broadcast; unless scheduled, its deliveries are stored right away."""
    with db.session() as session:
        broadcast = Broadcast(village_id=village_id, kind=kind, content=json.dumps(content),
                              created_by=created_by, scheduled_for=scheduled_for,
                              campaign_id=campaign_id, progress_chat_id=progress_chat_id,
                              status="scheduled" if scheduled_for else "queued")
        session.add(broadcast)
        session.flush()
        if scheduled_for is None:
            expand(db, session, broadcast)
        return broadcast.id


def expand(db: Database, session: Session, broadcast: Broadcast) -> None:
    """Store one delivery per recipient chat and start sending."""
    chats = recipients(db, broadcast.village_id)
    bot = village_bot(session, broadcast.village_id)  # each bot's sender claims its own
    # One multi-row INSERT per 5,000: as ORM objects, a national campaign's 34,000 rows took
    # 51 s to store on a loaded machine (benchmarks/national_campaign.py).
    rows = [{"broadcast_id": broadcast.id, "chat_id": chat, "is_group": group,
             "bot_key": bot} for chat, group in chats]
    for start in range(0, len(rows), 5000):
        session.execute(insert(Delivery), rows[start:start + 5000])
    broadcast.total, broadcast.status = len(chats), "sending"


def release_scheduled(db: Database, now: datetime) -> list[int]:
    """Scheduled broadcasts whose time has come get their deliveries."""
    with db.session() as session:
        due = list(session.scalars(select(Broadcast).where(
            Broadcast.status == "scheduled", Broadcast.scheduled_for <= now)))
        for broadcast in due:
            expand(db, session, broadcast)
        return [b.id for b in due]


# A claimed delivery not sent within this long belongs to a process that died: claimed ones
# go back to pending (they never left), `sending` ones become unknown (they may have left).
# Longer than a send's read timeout (15 s) plus a batch's wait for the sending budget.
LEASE = timedelta(seconds=120)
FINAL = ("sent", "failed", "blocked", "unknown")
COUNTER = {"sent": Broadcast.sent_count, "failed": Broadcast.failed_count,
           "blocked": Broadcast.failed_count, "unknown": Broadcast.unknown_count}


def next_jobs(db: Database, limit: int = 100, now: datetime | None = None,
              share: BotShare | None = None) -> list[Job]:
    """Claim pending deliveries whose time has come, oldest first, for this process alone.

    One statement: on PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`, so several
    bot processes claim different deliveries without waiting on each other; SQLite has one
    writer at a time anyway. A claimed row is not sent yet, so a crash returns it to
    pending (`recover_interrupted`), never to "unknown". `share`: only one bot's deliveries
    (with regional bots, each bot's sender claims those of its own villages).
    """
    now = now or utcnow()
    mine = share.condition() if share is not None else Delivery.id.is_not(None)
    due = (select(Delivery.id)
           .where(Delivery.status == "pending", Delivery.next_attempt_at <= now, mine)
           .order_by(Delivery.id).limit(limit).with_for_update(skip_locked=True))
    with db.session() as session:
        claimed = session.execute(
            update(Delivery).where(Delivery.id.in_(due.scalar_subquery()))
            .values(status="claimed", claimed_at=now)
            .returning(Delivery.id, Delivery.broadcast_id, Delivery.chat_id,
                       Delivery.is_group, Delivery.attempts)
            .execution_options(synchronize_session=False)).all()
        if not claimed:
            return []
        ids = {row.broadcast_id for row in claimed}
        found = {b.id: b for b in session.scalars(select(Broadcast).where(Broadcast.id.in_(ids)))}
        jobs = [Job(r.id, r.broadcast_id, r.chat_id, r.is_group, found[r.broadcast_id].kind,
                    json.loads(found[r.broadcast_id].content), found[r.broadcast_id].village_id,
                    r.attempts, now) for r in claimed]
        return sorted(jobs, key=lambda job: job.id)


def start_sending(db: Database, job: Job) -> bool:
    """Mark the delivery `sending` just before its request leaves; False: not ours any more.

    A claim older than the lease may have been given back to pending and claimed by another
    process (this one was stalled, not dead); the claim's time is our token, so only one of
    the two ever sends it.
    """
    with db.session() as session:
        result = session.execute(update(Delivery).where(
            Delivery.id == job.id, Delivery.status == "claimed",
            Delivery.claimed_at == job.claimed_at).values(status="sending", claimed_at=utcnow()))
        return bool(result.rowcount)


def start_sending_many(db: Database, jobs: list[Job]) -> list[Job]:
    """`start_sending` for several deliveries in one statement; returns those still ours.

    The delivery worker marks each small group of messages the budget lets go at once
    (a few, a tenth of a second's worth) just before they leave: one write per group
    instead of one per message, and a crash still finds them `sending`, never re-sent.
    """
    return start_sending_groups(db, [jobs])[0]


def start_sending_groups(db: Database, groups: list[list[Job]]) -> list[list[Job]]:
    """`start_sending_many` for the groups of several senders at once: one statement.

    Each regional bot's sender marks its own groups; 34 bots at 30 a second made ~200 such
    small transactions a second, and their statements, not the rows, were most of the
    bot's CPU per message (benchmarks/national_campaign.py). A delivery counts as ours only
    with the very claim time we hold (id and claimed_at together), as in `start_sending`.
    Core statements on the table: the ORM's bulk-update bookkeeping bought nothing here.
    """
    jobs = [job for group in groups for job in group]
    if not jobs:
        return [[] for _ in groups]
    table = Delivery.__table__
    with db.session() as session:
        ours = set(session.execute(
            update(table).where(tuple_(table.c.id, table.c.claimed_at).in_(
                [(job.id, job.claimed_at) for job in jobs]), table.c.status == "claimed")
            .values(status="sending", claimed_at=utcnow()).returning(table.c.id)).scalars())
    return [[job for job in group if job.id in ours] for group in groups]


@dataclass(frozen=True)
class Outcome:
    """What became of one send, to be recorded with others in one transaction."""

    delivery_id: int
    status: str  # "sent", "failed", "blocked", "unknown", or "pending" with retry_in
    error: str = ""
    retry_in: float | None = None
    also: tuple[Base, ...] = ()  # rows stored with it (a sent quiz's poll)


def record(db: Database, outcomes: Iterable[Outcome]) -> None:
    """Record many sends' outcomes in one transaction; counters move by whole groups.

    Sent deliveries (nearly all) are one UPDATE for the lot and their broadcasts' counters
    one more, whatever the number of broadcasts (a national campaign has one per village);
    the rare others one each. Written a fraction of a second after their sends: a crash in
    between leaves them `sending`, which recovery makes `unknown` (delivered or not, never
    sent again).
    """
    outcomes = list(outcomes)
    if not outcomes:
        return
    table = Delivery.__table__
    with db.session() as session:
        for outcome in outcomes:
            session.add_all(outcome.also)
        sent = [o.delivery_id for o in outcomes if o.status == "sent" and o.retry_in is None]
        if sent:
            now = utcnow()
            changed = session.execute(
                update(table).where(table.c.id.in_(sent), table.c.status.not_in(FINAL))
                .values(status="sent", error="", claimed_at=now, sent_at=now)
                .returning(table.c.broadcast_id)).scalars().all()
            _count(session, "sent", changed)
        for o in outcomes:
            if o.status != "sent" or o.retry_in is not None:
                _mark_in(session, o.delivery_id, o.status, o.error, o.retry_in)


def _count(session: Session, status: str, broadcast_ids: Iterable[int]) -> None:
    """Add each broadcast's outcomes to its counter: one statement for all of them."""
    counts = Counter(broadcast_ids)
    if not counts:
        return
    table = Broadcast.__table__
    column = table.c[COUNTER[status].key]
    ids = sorted(counts)  # rows locked in one order by every process
    added = case(counts, value=table.c.id, else_=0) if len(ids) > 1 else counts[ids[0]]
    session.execute(update(table).where(table.c.id.in_(ids)).values({column: column + added}))


def mark(db: Database, delivery_id: int, status: str, error: str = "",
         retry_in: float | None = None, also: Iterable[Base] = ()) -> None:
    """Record the outcome of one send ("sending", "sent", "failed", "blocked", or a retry).

    `also` is stored in the same transaction: a sent quiz's poll row must not be lost to a
    crash between "sent" and remembering the poll, or that chat's answers would never count.
    A final outcome also adds one to the broadcast's counter, in the same transaction and
    only when the delivery was not final yet, so progress is read, never recounted.
    """
    with db.session() as session:
        session.add_all(also)
        _mark_in(session, delivery_id, status, error, retry_in)


def _mark_in(session: Session, delivery_id: int, status: str, error: str,
             retry_in: float | None) -> None:
    values: dict = {"status": status, "error": error[:500], "claimed_at": utcnow()}
    if status == "sent":
        values["sent_at"] = utcnow()
    if retry_in is not None:
        values.update(status="pending", attempts=Delivery.attempts + 1, claimed_at=None,
                      next_attempt_at=utcnow() + timedelta(seconds=retry_in))
    changed = session.execute(
        update(Delivery).where(Delivery.id == delivery_id, Delivery.status.not_in(FINAL))
        .values(**values).returning(Delivery.broadcast_id)).scalar()
    if changed is not None and values["status"] in COUNTER:
        _count(session, values["status"], [changed])


def renew(db: Database, claimed: Iterable[Job], sending: Iterable[int]) -> list[Job]:
    """A live process's claims, renewed before their lease runs out; returns those still ours.

    A process claims a batch ahead of sending it and, with several processes and villagers
    chatting, its share of the token's 30 a second can be a few messages a second: the last
    of a batch of 100 then waits far longer than a short lease. Unrenewed, recovery in another
    process gave those back to pending, this process spent the budget on claims that were no
    longer its own, and the broadcast crawled. `sending` ones (answer not yet in) are
    renewed too, so a slow answer is not made `unknown` while its process waits for it.
    """
    claimed = list(claimed)
    sending = list(sending)
    now = utcnow()
    renewed: list[Job] = []
    with db.session() as session:
        for claimed_at in {job.claimed_at for job in claimed}:
            group = {job.id: job for job in claimed if job.claimed_at == claimed_at}
            ours = session.execute(update(Delivery).where(
                Delivery.id.in_(list(group)), Delivery.status == "claimed",
                Delivery.claimed_at == claimed_at).values(claimed_at=now)
                .returning(Delivery.id).execution_options(synchronize_session=False)).scalars()
            renewed.extend(replace(group[delivery_id], claimed_at=now) for delivery_id in ours)
        if sending:
            session.execute(update(Delivery).where(Delivery.id.in_(sending),
                                                   Delivery.status == "sending")
                            .values(claimed_at=now).execution_options(synchronize_session=False))
    return renewed


def release(db: Database, ids: list[int]) -> None:
    """Claimed deliveries this process will not send after all (it is stopping)."""
    with db.session() as session:
        session.execute(update(Delivery).where(Delivery.id.in_(ids), Delivery.status == "claimed")
                        .values(status="pending", claimed_at=None))


def recover_interrupted(db: Database, lease: timedelta = LEASE,
                        share: BotShare | None = None) -> list[int]:
    """Deliveries of a process that died: claimed ones are sent later, `sending` never again.

    A request that was in flight when the process died may or may not have reached Telegram;
    sending it again could show a villager the same quiz twice, so it is counted as
    `unknown` instead, and the final report says so. With one process, start-up passes a
    zero lease: whatever it finds in flight is its own predecessor's (`share`: of its own bot;
    with regional bots in one process, another bot may be sending already). Returns the broadcast
    of each delivery it made unknown (their reports may now be due).
    """
    cutoff = utcnow() - lease
    mine = share.condition() if share is not None else Delivery.id.is_not(None)
    with db.session() as session:
        session.execute(update(Delivery).where(
            Delivery.status == "claimed", Delivery.claimed_at <= cutoff, mine)
            .values(status="pending", claimed_at=None))
        lost = session.execute(
            update(Delivery).where(Delivery.status == "sending", Delivery.claimed_at <= cutoff,
                                   mine)
            .values(status="unknown", error="in flight when its process stopped")
            .returning(Delivery.broadcast_id)).scalars().all()
        for broadcast_id, count in Counter(lost).items():
            session.execute(update(Broadcast).where(Broadcast.id == broadcast_id)
                            .values(unknown_count=Broadcast.unknown_count + count))
        return list(lost)


def progress(db: Database, broadcast_id: int) -> Progress:
    """How far a broadcast is, from its counters (constant time at any size)."""
    with db.session() as session:
        b = session.get(Broadcast, broadcast_id)
        if b is None:
            return Progress(0, 0, 0, 0)
        return Progress(b.total, b.sent_count, b.failed_count,
                        b.total - b.sent_count - b.failed_count - b.unknown_count,
                        b.unknown_count)


def finish_if_done(db: Database, broadcast_id: int) -> Progress | None:
    """Mark the broadcast done once nothing is pending; returns the final counts then."""
    counts = progress(db, broadcast_id)
    if not counts.done:
        return None
    with db.session() as session:
        result = session.execute(update(Broadcast).where(
            Broadcast.id == broadcast_id, Broadcast.status == "sending").values(status="done"))
        return counts if result.rowcount else None


def progress_chat(db: Database, broadcast_id: int) -> int | None:
    """Where the official who started the broadcast wants progress reports."""
    with db.session() as session:
        broadcast = session.get(Broadcast, broadcast_id)
        return broadcast.progress_chat_id if broadcast else None
