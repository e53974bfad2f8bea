"""The office's queue of tips and one tip's whole story, for the web dashboard.

Everything here is scoped to one office by the caller's own office id (never a form field);
the reporter's identity leaves this module only when the reporter agreed to share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from bot.core.storage.models import Officer, Tip, TipEvent, TipMedia, Village, utcnow
from bot.core.storage.session import Database
from bot.domain.messaging.outbox import enqueue
from bot.domain.replies import Reply
from bot.domain.tips.submission import TipError

PAGE_SIZE = 50
STATUSES = ("new", "claimed", "escalated", "closed")


@dataclass(frozen=True)
class TipFilter:
    """What the officer asked the queue for; unknown values are ignored, not trusted."""

    status: str = "open"  # "open" (not closed), "all", or one of STATUSES
    urgent: bool = False
    village_id: int | None = None
    claimed_by: str = ""  # "", "none" (unclaimed), or an officer id
    older_than_hours: float | None = None
    search: str = ""
    page: int = 1


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue."""

    id: int
    code: str
    status: str
    urgent: bool
    risk: str
    destination: str
    village: str
    timezone: str
    created_at: datetime
    handler: str


@dataclass(frozen=True)
class Queue:
    """One page of the queue and how many tips match in all."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a tip: who (in words the office understands), what, when."""

    kind: str
    actor: str  # "reporter", "system" or an officer's name
    text: str
    created_at: datetime


@dataclass
class TipStory:
    """A tip with its village, timeline, media and (only with consent) the reporter."""

    tip: Tip
    village: str
    timezone: str
    handler: str
    identity: str | None
    timeline: list[TimelineEntry] = field(default_factory=list)
    media: list[tuple[int, str, str]] = field(default_factory=list)  # (id, kind, caption)


def office_queue(db: Database, office_id: int, wanted: TipFilter, default_tz: str,
                 now: datetime | None = None) -> Queue:
    """The page of the office's tips that match, urgent and oldest open ones first."""
    now = now or utcnow()
    with db.session() as session:
        query = _filtered(select(Tip.id), office_id, wanted, now)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, wanted.page), pages)
        rows = session.execute(
            _filtered(select(Tip.id, Tip.code, Tip.status, Tip.urgent, Tip.risk, Tip.destination,
                             Village.name, Village.timezone, Tip.created_at, Officer.name),
                      office_id, wanted, now)
            .outerjoin(Village, Tip.village_id == Village.id)
            .outerjoin(Officer, Tip.claimed_by == Officer.id)
            .order_by((Tip.status == "closed"), Tip.urgent.desc(), Tip.created_at.desc())
            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
        return Queue([QueueRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "",
                               r[7] or default_tz, r[8], r[9] or "") for r in rows],
                     total, page, pages)


def _filtered(query: Select, office_id: int, wanted: TipFilter, now: datetime) -> Select:
    query = query.where(Tip.office_id == office_id)
    if wanted.status == "open":
        query = query.where(Tip.status != "closed")
    elif wanted.status in STATUSES:
        query = query.where(Tip.status == wanted.status)
    if wanted.urgent:
        query = query.where(Tip.urgent.is_(True))
    if wanted.village_id is not None:
        query = query.where(Tip.village_id == wanted.village_id)
    if wanted.claimed_by == "none":
        query = query.where(Tip.claimed_by.is_(None))
    elif wanted.claimed_by.isdigit():
        query = query.where(Tip.claimed_by == int(wanted.claimed_by))
    if wanted.older_than_hours:
        query = query.where(Tip.created_at <= now - timedelta(hours=wanted.older_than_hours))
    text = wanted.search.strip()[:100]
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Tip.code.ilike(like), Tip.story.ilike(like),
                                Tip.recruiter.ilike(like), Tip.destination.ilike(like),
                                Tip.offer_text.ilike(like)))
    return query


def tip_story(db: Database, office_id: int, tip_id: int, default_tz: str) -> TipStory:
    """A tip of this office with everything an officer needs; TipError if not theirs."""
    with db.session() as session:
        tip = session.get(Tip, tip_id)
        if tip is None or tip.office_id != office_id:
            raise TipError("forbidden")
        village = session.get(Village, tip.village_id) if tip.village_id else None
        names = _officer_names(session, office_id)
        events = session.scalars(select(TipEvent).where(TipEvent.tip_id == tip.id)
                                 .order_by(TipEvent.created_at, TipEvent.id))
        story = TipStory(
            tip=tip, village=village.name if village else "",
            timezone=village.timezone if village else default_tz,
            handler=names.get(tip.claimed_by or 0, ""),
            identity=tip.reporter_name if tip.consent and tip.reporter_name else None,
            timeline=[TimelineEntry(e.kind, _actor(e.actor, names), e.text, e.created_at)
                      for e in events],
            media=[(m.id, m.kind, m.caption) for m in session.scalars(
                select(TipMedia).where(TipMedia.tip_id == tip.id).order_by(TipMedia.id))])
        session.expunge(tip)
        return story


def send_media_to_officer(db: Database, telegram_id: int, office_id: int, media_id: int) -> None:
    """Send a tip's photo or document to the officer's own Telegram chat, through the outbox.

    The file lives on Telegram's servers; the bot forwards it by its file id, so the office PC
    never downloads a villager's screenshot it does not need.
    """
    with db.session() as session:
        media = session.get(TipMedia, media_id)
        tip = session.get(Tip, media.tip_id) if media else None
        if media is None or tip is None or tip.office_id != office_id or \
                media.kind not in {"photo", "document"}:
            raise TipError("forbidden")
        key = f"web:media:{media.id}:{telegram_id}:{int(utcnow().timestamp() // 60)}"
        enqueue(session, key, telegram_id, Reply(media.caption[:1000]), kind=media.kind,
                file_id=media.file_id, file_bot=media.bot_key)


def office_officers(db: Database, office_id: int) -> list[tuple[int, str]]:
    """(id, name) of the office's active officers, for the "claimed by" filter."""
    with db.session() as session:
        return [(i, n or f"#{i}") for i, n in session.execute(
            select(Officer.id, Officer.name).where(Officer.office_id == office_id,
                                                   Officer.active.is_(True))
            .order_by(Officer.name))]


def office_villages(db: Database, office_id: int) -> list[tuple[int, str]]:
    """(id, name) of the office's villages, for the village filter."""
    with db.session() as session:
        return list(session.execute(select(Village.id, Village.name)
                                    .where(Village.office_id == office_id)
                                    .order_by(Village.name)).tuples())


def _officer_names(session: Session, office_id: int) -> dict[int, str]:
    return {i: n or f"#{i}" for i, n in session.execute(
        select(Officer.id, Officer.name).where(Officer.office_id == office_id))}


def _actor(actor: str, names: dict[int, str]) -> str:
    if actor.startswith("officer:") and actor[8:].isdigit():
        return names.get(int(actor[8:]), actor)
    return actor
