"""The office's audit log: what officers, admins and the bot did, from three records, newest first.

`office_events` has the office's own events (invites, people joining, revocations, sign-ins
and sign-outs, villages added); tips keep `tip_events` (claims, notes, escalations, blocks)
and campaigns `campaign_events` (alerts, verdicts, warning lessons). The log shows who and
what, never a reporter's identity or a message's text: tips appear by their code only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.storage.models import (
    CampaignEvent,
    OfficeEvent,
    Officer,
    Tip,
    TipEvent,
)
from bot.core.storage.session import Database


@dataclass(frozen=True)
class AuditEntry:
    """One line of the office's audit log.

    `source` is "office", "tip" or "campaign"; `subject` is a tip's code, "K-12" for a
    campaign, or what an office event is about; `detail` is a verdict's key, else "".
    """

    created_at: datetime
    source: str
    subject: str
    actor: str
    kind: str
    detail: str = ""


def record(session: Session, office_id: int | None, actor: str, kind: str,
           subject: str = "") -> None:
    """Add an office event in the caller's transaction (nothing when there is no office)."""
    if office_id is not None:
        session.add(OfficeEvent(office_id=office_id, actor=actor[:40], kind=kind,
                                subject=subject[:200]))


def officer_actor(officer: Officer) -> str:
    """How an officer is recorded as an actor ("officer:12"): their name is looked up on read."""
    return f"officer:{officer.id}"


def office_log(db: Database, office_id: int, limit: int = 200) -> list[AuditEntry]:
    """The office's latest `limit` events of all three kinds, newest first."""
    with db.session() as session:
        names = {i: n or f"#{i}" for i, n in session.execute(
            select(Officer.id, Officer.name).where(Officer.office_id == office_id))}
        own = session.execute(
            select(OfficeEvent.created_at, OfficeEvent.subject, OfficeEvent.actor,
                   OfficeEvent.kind).where(OfficeEvent.office_id == office_id)
            .order_by(OfficeEvent.id.desc()).limit(limit)).all()
        tips = session.execute(
            select(TipEvent.created_at, Tip.code, TipEvent.actor, TipEvent.kind)
            .join(Tip, Tip.id == TipEvent.tip_id).where(Tip.office_id == office_id)
            .order_by(TipEvent.id.desc()).limit(limit)).all()
        campaigns = session.execute(
            select(CampaignEvent.created_at, CampaignEvent.campaign_id, CampaignEvent.actor,
                   CampaignEvent.kind, CampaignEvent.text)
            .where(CampaignEvent.office_id == office_id)
            .order_by(CampaignEvent.id.desc()).limit(limit)).all()
    entries = [AuditEntry(at, "office", subject, officer_name(actor, names), kind)
               for at, subject, actor, kind in own]
    entries += [AuditEntry(at, "tip", code, officer_name(actor, names), kind)
                for at, code, actor, kind in tips]
    entries += [AuditEntry(at, "campaign", f"K-{cid}", officer_name(actor, names), kind,
                           text if kind == "verdict" else "")
                for at, cid, actor, kind, text in campaigns]
    return sorted(entries, key=lambda e: e.created_at, reverse=True)[:limit]


def officer_name(actor: str, names: dict[int, str]) -> str:
    """"officer:12" as the officer's name; "system", "reporter" and "operator" unchanged."""
    if actor.startswith("officer:") and actor[8:].isdigit():
        return names.get(int(actor[8:]), actor)
    return actor
