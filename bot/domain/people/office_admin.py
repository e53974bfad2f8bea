"""Running an office without a shell: its officers and officials, invites, blocked reporters.

Only an active office admin of the same office may change anything here; the office comes
from the admin's own role, never from the request, so a forged form cannot reach another office.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.storage.models import Office, Officer, Official, Person, Tip, TipEvent, Village
from bot.core.storage.session import Database
from bot.domain.people.audit import AuditEntry, office_log, officer_actor, record
from bot.domain.people.roles import active_officer, create_invite
from bot.domain.programme.choices import VillageChoice
from bot.domain.programme.gazetteer import add_to_programme

log = logging.getLogger(__name__)


class AdminError(PermissionError):
    """The account may not do this (not an admin of this office, or not its person)."""


@dataclass(frozen=True)
class OfficerRow:
    """An officer of the office, as the People page lists them."""

    id: int
    name: str
    is_admin: bool
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class OfficialRow:
    """A village official of one of the office's villages."""

    id: int
    village: str
    active: bool


@dataclass(frozen=True)
class BlockedReporter:
    """A reporter blocked from sending tips, known to the office only by their tips' codes."""

    tip_id: int
    codes: str


def _admin(session: Session, telegram_id: int) -> Officer:
    officer = active_officer(session, telegram_id)
    if officer is None or not officer.is_admin:
        log.warning("refused office admin action by account %s", telegram_id)
        raise AdminError("forbidden")
    return officer


def officers(db: Database, admin_id: int) -> list[OfficerRow]:
    """The office's officers, active ones first."""
    with db.session() as session:
        office_id = _admin(session, admin_id).office_id
        return [OfficerRow(o.id, o.name or f"#{o.id}", o.is_admin, o.active, o.created_at)
                for o in session.scalars(select(Officer).where(Officer.office_id == office_id)
                                         .order_by(Officer.active.desc(), Officer.name))]


def officials(db: Database, admin_id: int) -> list[OfficialRow]:
    """The officials of the office's villages."""
    with db.session() as session:
        office_id = _admin(session, admin_id).office_id
        return [OfficialRow(o.id, name, o.active) for o, name in session.execute(
            select(Official, Village.name).join(Village, Official.village_id == Village.id)
            .where(Village.office_id == office_id).order_by(Village.name))]


def invite_officer(db: Database, admin_id: int, admin_role: bool = False) -> str:
    """A single-use invite token for a new officer (or office admin) of the admin's office."""
    with db.session() as session:
        admin = _admin(session, admin_id)
        code, actor = session.get(Office, admin.office_id).code, officer_actor(admin)
    return create_invite(db, "admin" if admin_role else "officer", office_code=code,
                         actor=actor)


def invite_official(db: Database, telegram_id: int, village_id: int) -> str:
    """A single-use invite for an official of one of the officer's own office's villages."""
    with db.session() as session:
        officer = active_officer(session, telegram_id)
        village = session.get(Village, village_id)
        if officer is None or village is None or village.office_id != officer.office_id:
            log.warning("refused official invite by account %s", telegram_id)
            raise AdminError("forbidden")
        code, actor = village.code, officer_actor(officer)
    return create_invite(db, "official", village_code=code, actor=actor)


def add_village(db: Database, admin_id: int, code: str) -> VillageChoice:
    """Add a village of the national gazetteer to the admin's own office's programme.

    The office is the admin's, whatever the form says; the time zone follows the province
    (gazetteer.add_to_programme). GazetteerError when the code is unknown or already added.
    """
    with db.session() as session:
        admin = _admin(session, admin_id)
        office_code, actor = session.get(Office, admin.office_id).code, officer_actor(admin)
    added = add_to_programme(db, code, office_code)
    with db.session() as session:
        record(session, admin.office_id, actor, "village_added", added.name)
    return added


def revoke_officer(db: Database, admin_id: int, officer_id: int) -> None:
    """Deactivate one officer of the admin's office (their dashboard session ends with it)."""
    with db.session() as session:
        admin = _admin(session, admin_id)
        officer = session.get(Officer, officer_id)
        if officer is None or officer.office_id != admin.office_id or officer.id == admin.id:
            raise AdminError("forbidden")
        officer.active = False
        record(session, admin.office_id, officer_actor(admin), "revoked", officer.name)


def revoke_official(db: Database, admin_id: int, official_id: int) -> None:
    """Deactivate an official of one of the admin's office's villages."""
    with db.session() as session:
        admin = _admin(session, admin_id)
        official = session.get(Official, official_id)
        village = session.get(Village, official.village_id) if official else None
        if village is None or village.office_id != admin.office_id:
            raise AdminError("forbidden")
        official.active = False
        record(session, admin.office_id, officer_actor(admin), "revoked",
               f"official: {village.name}")


def blocked_reporters(db: Database, admin_id: int) -> list[BlockedReporter]:
    """Reporters of this office's tips who are blocked, named only by their tips' codes."""
    with db.session() as session:
        office_id = _admin(session, admin_id).office_id
        rows = session.execute(select(Tip.id, Tip.code, Tip.reporter_id)
                               .join(Person, Person.telegram_id == Tip.reporter_id)
                               .where(Tip.office_id == office_id,
                                      Person.tips_blocked.is_(True))
                               .order_by(Tip.id)).all()
        grouped: dict[int, list[tuple[int, str]]] = {}
        for tip_id, code, reporter in rows:
            grouped.setdefault(reporter, []).append((tip_id, code))
        return [BlockedReporter(tips[0][0], ", ".join(c for _, c in tips))
                for tips in grouped.values()]


def unblock_reporter(db: Database, admin_id: int, tip_id: int) -> None:
    """Let the reporter of this office's tip send tips again; recorded on the tip."""
    with db.session() as session:
        admin = _admin(session, admin_id)
        tip = session.get(Tip, tip_id)
        if tip is None or tip.office_id != admin.office_id or tip.reporter_id is None:
            raise AdminError("forbidden")
        person = session.scalar(select(Person).where(Person.telegram_id == tip.reporter_id))
        if person is not None:
            person.tips_blocked = False
        session.add(TipEvent(tip_id=tip.id, actor=f"officer:{admin.id}", kind="unblocked"))


def audit_log(db: Database, admin_id: int, limit: int = 200) -> list[AuditEntry]:
    """The office's audit log (people, tips, campaigns), newest first; admins only."""
    with db.session() as session:
        office_id = _admin(session, admin_id).office_id
    return office_log(db, office_id, limit)
