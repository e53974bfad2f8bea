"""Tips: stored before the reporter hears "diterima", routed to the right office, worked.

Every change writes an audit event and queues its messages in the same transaction, so a
crash can lose neither the tip nor the alert, and the reporter's identity is read only to
notify the reporter, or for officers when the reporter agreed.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.core.bot_tokens import SPEAKING_BOT
from bot.core.storage.models import (
    Office,
    Officer,
    Person,
    Tip,
    TipDraft,
    TipEvent,
    TipMedia,
    Village,
    utcnow,
)
from bot.core.storage.session import Database
from bot.domain.campaigns.checks import observe_tip
from bot.domain.messaging.outbox import enqueue
from bot.domain.replies import Reply
from bot.domain.tips.answers import TipAnswers
from bot.domain.tips.texts import officer_alert, reporter_update

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
DAILY_LIMIT = 5


class TipError(Exception):
    """A tip action cannot be done; `reason` is a stable word the handler translates."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(kw_only=True)
class TipInput(TipAnswers):
    """Everything the reporting conversation collected, and the checker's risk."""

    media: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, file_id, caption)
    risk: str = ""
    risk_flags: list[str] = field(default_factory=list)
    asked_urgent: bool = False

    @property
    def urgent(self) -> bool:
        """Someone leaving within days, or already abroad, cannot wait for office hours."""
        return self.asked_urgent or self.timing in {"soon", "abroad"}


def new_code() -> str:
    """An unguessable reference code, e.g. LP-7K3M9Q2X (40 bits of randomness)."""
    return "LP-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def route(session: Session, village_id: int | None) -> Office:
    """The village's office, or the default office when the village is unknown."""
    if village_id is not None:
        village = session.get(Village, village_id)
        if village and village.office_id:
            return session.get(Office, village.office_id)
    office = session.scalar(select(Office).where(Office.is_default.is_(True)).limit(1))
    if office is None:
        office = session.scalar(select(Office).order_by(Office.id).limit(1))
    if office is None:
        raise TipError("no_office")
    return office


def tips_today(db: Database, reporter_id: int, now: datetime | None = None) -> int:
    """How many tips this person sent in the last 24 hours (for the daily limit)."""
    since = (now or utcnow()) - timedelta(days=1)
    with db.session() as session:
        return session.scalar(select(func.count(Tip.id)).where(
            Tip.reporter_id == reporter_id, Tip.created_at >= since)) or 0


def submit(db: Database, reporter_id: int, reporter_name: str, data: TipInput,
           limit: int = DAILY_LIMIT, from_draft: bool = False) -> Tip:
    """Store the tip, its media, the audit event and every officer alert in one transaction.

    The reporter's draft is deleted in the same transaction, so a crash can neither lose the
    tip nor leave a draft that would be sent twice. The reporter's row is locked first, so
    concurrent submits of one person (forged "Kirim laporan" presses in several chats, or
    several workers) run one after another: the daily limit holds and, `from_draft`, only
    the submit that deleted the draft goes on ("no_draft" for the others).
    """
    with db.session() as session:
        person = _locked_person(session, reporter_id)
        deleted = session.execute(delete(TipDraft).where(TipDraft.telegram_id == reporter_id))
        if from_draft and not deleted.rowcount:
            raise TipError("no_draft")
        if person.tips_blocked:
            raise TipError("blocked")
        since = utcnow() - timedelta(days=1)
        recent = session.scalar(select(func.count(Tip.id)).where(
            Tip.reporter_id == reporter_id, Tip.created_at >= since)) or 0
        if recent >= limit:
            raise TipError("limit")
        office = route(session, data.village_id)
        tip = Tip(code=new_code(), reporter_id=reporter_id, reporter_name=reporter_name[:200],
                  consent=data.consent, office_id=office.id, village_id=data.village_id,
                  urgent=data.urgent, story=data.story, offer_text=data.offer_text,
                  recruiter=data.recruiter, destination=data.destination,
                  at_risk=data.at_risk, timing=data.timing, risk=data.risk,
                  risk_flags=json.dumps(data.risk_flags))
        session.add(tip)
        session.flush()
        for kind, file_id, caption in data.media:
            session.add(TipMedia(tip_id=tip.id, kind=kind, file_id=file_id, caption=caption,
                                 bot_key=SPEAKING_BOT.get()))
        session.add(TipEvent(tip_id=tip.id, actor="reporter", kind="created"))
        session.flush()
        announce(session, tip)
        session.expunge(tip)
    observe_tip(db, tip)  # its offer and recruiter join their campaign (bot/domain/campaigns)
    return tip


def _locked_person(session: Session, telegram_id: int) -> Person:
    """The person's row, created if needed, locked until the transaction ends.

    On SQLite the upsert is the transaction's first write, so it takes the database's write
    lock before anything is counted.
    """
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    session.execute(insert(Person.__table__).values(telegram_id=telegram_id, first_seen=utcnow(),
                                                    last_seen=utcnow())
                    .on_conflict_do_nothing(index_elements=["telegram_id"]))
    person = session.scalars(select(Person).where(Person.telegram_id == telegram_id)
                             .with_for_update()).one()
    person.bot_key = SPEAKING_BOT.get()  # replies to the reporter go through their bot
    return person


def announce(session: Session, tip: Tip, round_: int = 0) -> None:
    """Queue the alert (and the media) to the office's officers and group."""
    village = session.get(Village, tip.village_id) if tip.village_id else None
    identity = tip.reporter_name if tip.consent else None
    alert = officer_alert(tip, village.name if village else None, identity, round_ > 0)
    media = list(session.scalars(select(TipMedia).where(TipMedia.tip_id == tip.id)))
    for chat_id in alert_chats(session, tip):
        key = f"tip:{tip.id}:alert:{round_}:{chat_id}"
        enqueue(session, key, chat_id, alert, protect=True)
        for item in media if round_ == 0 else []:
            caption = f"{tip.code}: {item.caption}" if item.caption else tip.code
            enqueue(session, f"{key}:m{item.id}", chat_id, _caption(caption), item.kind,
                    item.file_id, protect=True, file_bot=item.bot_key)


def alert_chats(session: Session, tip: Tip) -> list[int]:
    """Urgent: the group and every officer; otherwise the group, or the officers if none."""
    office = session.get(Office, tip.office_id)
    officers = [o.telegram_id for o in session.scalars(
        select(Officer).where(Officer.office_id == tip.office_id, Officer.active.is_(True)))]
    group = [office.group_chat_id] if office and office.group_chat_id else []
    if tip.urgent:
        return group + officers
    return group or officers


def _caption(text: str) -> Reply:
    return Reply(text[:1000])


def reannounce_due(db: Database, older_than: timedelta, now: datetime | None = None) -> int:
    """Alert again about tips nobody claimed in time; returns how many."""
    now = now or utcnow()
    with db.session() as session:
        tips = list(session.scalars(select(Tip).where(Tip.status == "new",
                                                      Tip.announced_at <= now - older_than)))
        for tip in tips:
            rounds = session.scalar(select(func.count(TipEvent.id)).where(
                TipEvent.tip_id == tip.id, TipEvent.kind == "reannounced")) or 0
            session.add(TipEvent(tip_id=tip.id, actor="system", kind="reannounced"))
            announce(session, tip, rounds + 1)
            tip.announced_at = now
        return len(tips)


def notify_reporter(session: Session, tip: Tip, event_id: int) -> None:
    """Queue the plain-language status update for the reporter."""
    if tip.reporter_id is not None:
        enqueue(session, f"tip:{tip.id}:reporter:{event_id}", tip.reporter_id,
                reporter_update(tip))


def for_reporter(db: Database, code: str, reporter_id: int) -> Tip | None:
    """A tip by its code, only for the person who reported it."""
    with db.session() as session:
        tip = session.scalar(select(Tip).where(Tip.code == code.strip().upper()))
        if tip is None or tip.reporter_id != reporter_id:
            return None
        session.expunge(tip)
        return tip


def reporter_tips(db: Database, reporter_id: int, limit: int = 10) -> list[Tip]:
    """The person's own reports, newest first (for /status without a code)."""
    with db.session() as session:
        tips = list(session.scalars(select(Tip).where(Tip.reporter_id == reporter_id)
                                    .order_by(Tip.id.desc()).limit(limit)))
        session.expunge_all()
        return tips
