"""Which offices would receive tips that nobody reads: no active officer and no group.

A tip is routed to its village's office, or to the default office (the first office when
none is the default). An office on that route without an officer and without a group stores
tips and alerts no one, so `desabot doctor` names it with the command that fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.storage.models import Office, Officer, Tip, Village
from bot.core.storage.session import Database


@dataclass(frozen=True)
class Uncovered:
    """An office that receives tips and has nobody to read them."""

    code: str
    name: str
    open_tips: int


def receiving_offices(session: Session) -> list[Office]:
    """The offices tips can be routed to: those with villages, and the default one."""
    with_villages = set(session.scalars(select(Village.office_id).where(
        Village.office_id.is_not(None))))
    fallback = session.scalar(select(Office).where(Office.is_default.is_(True)).limit(1)) or \
        session.scalar(select(Office).order_by(Office.id).limit(1))
    offices = [o for o in session.scalars(select(Office).order_by(Office.code))
               if o.id in with_villages or (fallback is not None and o.id == fallback.id)]
    return offices


def uncovered_offices(db: Database) -> list[Uncovered]:
    """Offices on a tip's route with no active officer and no group chat."""
    with db.session() as session:
        found = []
        for office in receiving_offices(session):
            officers = session.scalar(select(func.count(Officer.id)).where(
                Officer.office_id == office.id, Officer.active.is_(True)))
            if officers or office.group_chat_id:
                continue
            open_tips = session.scalar(select(func.count(Tip.id)).where(
                Tip.office_id == office.id, Tip.status != "closed")) or 0
            found.append(Uncovered(office.code, office.name, open_tips))
        return found


def office_count(db: Database) -> int:
    """How many offices there are (none: a tip cannot be stored at all)."""
    with db.session() as session:
        return session.scalar(select(func.count(Office.id))) or 0
