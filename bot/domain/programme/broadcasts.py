"""Broadcasts: one stored delivery per recipient chat, before anything is sent.

The delivery rows are the source of truth: a killed process resumes from them, and a chat
gets each broadcast at most once because (broadcast, chat) is unique and a row is marked
`sending` before its request leaves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from bot.core.storage.models import Base, Broadcast, Delivery, utcnow
from bot.core.storage.session import Database
from bot.domain.programme.membership import recipients


@dataclass(frozen=True)
class Progress:
    """How far a broadcast is."""

    total: int
    sent: int
    failed: int
    pending: int

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
    session.add_all(Delivery(broadcast_id=broadcast.id, chat_id=chat, is_group=group)
                    for chat, group in chats)
    broadcast.total, broadcast.status = len(chats), "sending"


def release_scheduled(db: Database, now: datetime) -> list[int]:
    """Scheduled broadcasts whose time has come get their deliveries."""
    with db.session() as session:
        due = list(session.scalars(select(Broadcast).where(
            Broadcast.status == "scheduled", Broadcast.scheduled_for <= now)))
        for broadcast in due:
            expand(db, session, broadcast)
        return [b.id for b in due]


def next_jobs(db: Database, limit: int = 100, now: datetime | None = None) -> list[Job]:
    """Pending deliveries whose time has come, oldest broadcast first."""
    now = now or utcnow()
    with db.session() as session:
        rows = session.execute(
            select(Delivery, Broadcast).join(Broadcast, Delivery.broadcast_id == Broadcast.id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
            .order_by(Delivery.id).limit(limit)).all()
        return [Job(d.id, d.broadcast_id, d.chat_id, d.is_group, b.kind, json.loads(b.content),
                    b.village_id, d.attempts) for d, b in rows]


def mark(db: Database, delivery_id: int, status: str, error: str = "",
         retry_in: float | None = None, also: Iterable[Base] = ()) -> None:
    """Record the outcome of one send ("sending", "sent", "failed", "blocked", or a retry).

    `also` is stored in the same transaction: a sent quiz's poll row must not be lost to a
    crash between "sent" and remembering the poll, or that chat's answers would never count.
    """
    with db.session() as session:
        session.add_all(also)
        values: dict = {"status": status, "error": error[:500]}
        if status == "sent":
            values["sent_at"] = utcnow()
        if retry_in is not None:
            values.update(status="pending", attempts=Delivery.attempts + 1,
                          next_attempt_at=utcnow() + timedelta(seconds=retry_in))
        session.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))


def recover_interrupted(db: Database) -> int:
    """After a crash, deliveries left `sending` are not sent again (never twice).

    A request that was in flight when the process died may or may not have reached Telegram;
    sending it again could show a villager the same quiz twice, so it is counted as
    `unknown` instead, and the final report says so.
    """
    with db.session() as session:
        result = session.execute(update(Delivery).where(Delivery.status == "sending")
                                 .values(status="unknown"))
        return result.rowcount or 0


def progress(db: Database, broadcast_id: int) -> Progress:
    """Counts of a broadcast's deliveries by outcome."""
    with db.session() as session:
        row = session.execute(select(
            func.count(Delivery.id),
            func.sum(case((Delivery.status == "sent", 1), else_=0)),
            func.sum(case((Delivery.status.in_(["failed", "blocked", "unknown"]), 1), else_=0)),
        ).where(Delivery.broadcast_id == broadcast_id)).one()
        total, sent, failed = row[0] or 0, int(row[1] or 0), int(row[2] or 0)
        return Progress(total, sent, failed, total - sent - failed)


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
