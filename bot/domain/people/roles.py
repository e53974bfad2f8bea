"""Offices, officers, village officials and the single-use invites that create them.

Only the hash of an invite token is stored: a leaked database does not hand out officer
accounts. A token works once, until it expires, and can be revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.storage.models import Invite, Office, Officer, Official, Village, utcnow
from bot.core.storage.session import Database
from bot.domain.people.audit import record

INVITE_PREFIX = "inv_"
DEFAULT_TTL = timedelta(days=3)


class RoleError(ValueError):
    """A command-line request about roles cannot be done (unknown office, ...)."""


@dataclass(frozen=True)
class Redeemed:
    """What opening an invite link did."""

    ok: bool
    reason: str = ""  # "unknown", "used", "expired", "revoked"
    role: str = ""
    office_name: str = ""


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def add_office(db: Database, code: str, name: str, kind: str = "imigrasi",
               default: bool = False, group_chat_id: int | None = None,
               allow_messages: bool = False) -> Office:
    """Create an office (or update it by code); at most one office is the default."""
    with db.session() as session:
        office = session.scalar(select(Office).where(Office.code == code)) or Office(code=code)
        office.name, office.kind, office.group_chat_id = name, kind, group_chat_id
        office.allow_custom_messages = allow_messages
        if default:
            session.execute(update(Office).values(is_default=False))
        office.is_default = default or office.is_default or False
        session.add(office)
        session.flush()
        session.expunge(office)
        return office


def office_by_code(session: Session, code: str) -> Office:
    """An office by its code, or RoleError."""
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise RoleError(f"no office with code {code!r}")
    return office


def create_invite(db: Database, role: str, office_code: str | None = None,
                  village_code: str | None = None, ttl: timedelta = DEFAULT_TTL,
                  now: datetime | None = None, actor: str = "operator") -> str:
    """A new invite token (put it in a deep link: https://t.me/<bot>?start=inv_<token>).

    An officer invite without an office (or an official's without a village) would be used
    up by whoever opens it without making them anything, so it is refused here. The office's
    audit log records who invited whom (`actor`: "officer:12", or "operator" for the shell).
    """
    if role in {"officer", "admin"} and not office_code:
        raise RoleError("an officer invite needs an office: --office CODE")
    if role == "official" and not village_code:
        raise RoleError("an official invite needs a village: --village CODE")
    token = secrets.token_urlsafe(24)
    with db.session() as session:
        office_id = office_by_code(session, office_code).id if office_code else None
        village_id, audited, subject = None, office_id, role
        if village_code:
            village = session.scalar(select(Village).where(Village.code == village_code))
            if village is None:
                raise RoleError(f"no village with code {village_code!r}")
            village_id, subject = village.id, f"{role}: {village.name}"
            audited = office_id or village.office_id
        session.add(Invite(token_hash=token_hash(token), role=role, office_id=office_id,
                           village_id=village_id, expires_at=(now or utcnow()) + ttl))
        record(session, audited, actor, "invited", subject)
    return token


def redeem(db: Database, token: str, telegram_id: int, name: str,
           now: datetime | None = None) -> Redeemed:
    """Register `telegram_id` in the invite's role; a used or expired token does nothing."""
    now = now or utcnow()
    with db.session() as session:
        invite = session.scalar(select(Invite).where(Invite.token_hash == token_hash(token))
                                .with_for_update())
        if invite is None:
            return Redeemed(False, "unknown")
        if invite.revoked:
            return Redeemed(False, "revoked")
        if invite.used_at is not None:
            return Redeemed(False, "used")
        if _aware(invite.expires_at) < now:
            return Redeemed(False, "expired")
        invite.used_at, invite.used_by = now, telegram_id
        office = session.get(Office, invite.office_id) if invite.office_id else None
        if invite.role in {"officer", "admin"} and office is not None:
            make_officer(session, telegram_id, office.id, name, invite.role == "admin")
            record(session, office.id, name or "?", "joined", invite.role)
        village = session.get(Village, invite.village_id) if invite.village_id else None
        if invite.role == "official" and village is not None:
            _make_official(session, telegram_id, village.id)
            record(session, village.office_id, "official", "joined", f"official: {village.name}")
            return Redeemed(True, role="official", office_name=village.name)
        return Redeemed(True, role=invite.role, office_name=office.name if office else "")


def make_officer(session: Session, telegram_id: int, office_id: int, name: str,
                 admin: bool = False) -> None:
    """Give the account the officer role of the office (again, if it was revoked)."""
    existing = session.scalar(select(Officer).where(Officer.telegram_id == telegram_id,
                                                    Officer.office_id == office_id))
    if existing:
        existing.active = True
        existing.is_admin = existing.is_admin or admin
    else:
        session.add(Officer(telegram_id=telegram_id, office_id=office_id, name=name[:120],
                            is_admin=admin))


def _make_official(session: Session, telegram_id: int, village_id: int) -> None:
    existing = session.scalar(select(Official).where(Official.telegram_id == telegram_id,
                                                     Official.village_id == village_id))
    if existing:
        existing.active = True
    else:
        session.add(Official(telegram_id=telegram_id, village_id=village_id))


def official_villages(session: Session, telegram_id: int) -> list[int]:
    """The villages this account is an active official of."""
    return list(session.scalars(select(Official.village_id).where(
        Official.telegram_id == telegram_id, Official.active.is_(True))))


def officer_villages(session: Session, telegram_id: int) -> list[int]:
    """The villages of the office this account is an officer of."""
    officer = active_officer(session, telegram_id)
    if officer is None:
        return []
    return list(session.scalars(select(Village.id).where(Village.office_id == officer.office_id)))


def manages(session: Session, telegram_id: int, village_id: int) -> bool:
    """May this account send broadcasts and campaigns to this village?"""
    return village_id in official_villages(session, telegram_id) or \
        village_id in officer_villages(session, telegram_id)


def revoke_officer(db: Database, telegram_id: int) -> int:
    """Deactivate every officer role of an account; returns how many were active."""
    with db.session() as session:
        officers = list(session.scalars(select(Officer).where(
            Officer.telegram_id == telegram_id, Officer.active.is_(True))))
        for officer in officers:
            officer.active = False
            record(session, officer.office_id, "operator", "revoked", officer.name)
        return len(officers)


def roles_of(db: Database, telegram_id: int) -> frozenset[str]:
    """The account's roles besides villager: "officer", "official" (for help and menus)."""
    with db.session() as session:
        found = set()
        if active_officer(session, telegram_id) is not None:
            found.add("officer")
        if official_villages(session, telegram_id):
            found.add("official")
        return frozenset(found)


def active_officer(session: Session, telegram_id: int) -> Officer | None:
    """The account's active officer role, if any."""
    return session.scalar(select(Officer).where(Officer.telegram_id == telegram_id,
                                                Officer.active.is_(True)).limit(1))


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
