"""Signing in to the web dashboard without a password: a link from the bot, then a session.

An officer, office admin or village official sends /dasbor to the bot and gets a link that
works once, for a few minutes, and only for that account. Opening it starts a browser
session. Only hashes of both tokens are stored, so a leaked database opens no session. Every
request looks the person's role up again, so revoking an officer ends their session at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.storage.models import (
    Office,
    Officer,
    Official,
    Village,
    WebLogin,
    WebSession,
    utcnow,
)
from bot.core.storage.session import Database
from bot.domain.people.audit import officer_actor, record
from bot.domain.people.roles import active_officer, token_hash

LOGIN_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=12)


@dataclass(frozen=True)
class Viewer:
    """Who is signed in, and what they may see: decided on the server for every request."""

    telegram_id: int
    role: str  # "admin", "officer" or "official"
    name: str
    office_id: int | None
    office_name: str
    village_ids: tuple[int, ...]
    csrf: str

    @property
    def is_officer(self) -> bool:
        """Officers and office admins work tips."""
        return self.role in {"admin", "officer"}

    @property
    def is_admin(self) -> bool:
        """Office admins also run the office's people."""
        return self.role == "admin"


def issue_login(db: Database, telegram_id: int, ttl: timedelta = LOGIN_TTL,
                now: datetime | None = None) -> str | None:
    """A single-use sign-in token for this account, or None when it has no role."""
    with db.session() as session:
        if _role(session, telegram_id) is None:
            return None
        token = secrets.token_urlsafe(32)
        session.add(WebLogin(token_hash=token_hash(token), telegram_id=telegram_id,
                             expires_at=(now or utcnow()) + ttl))
        return token


def sign_in(db: Database, token: str, ttl: timedelta = SESSION_TTL,
            now: datetime | None = None) -> str | None:
    """Spend a sign-in token and start a session; None for a used, expired or forged one."""
    now = now or utcnow()
    with db.session() as session:
        login = session.scalar(select(WebLogin).where(WebLogin.token_hash == token_hash(token))
                               .with_for_update())
        if login is None or login.used_at is not None or _aware(login.expires_at) < now:
            return None
        login.used_at = now
        if _role(session, login.telegram_id) is None:
            return None
        cookie = secrets.token_urlsafe(32)
        session.add(WebSession(token_hash=token_hash(cookie), csrf=secrets.token_urlsafe(32),
                               telegram_id=login.telegram_id, created_at=now,
                               expires_at=now + ttl))
        _audit(session, login.telegram_id, "signed_in")
        return cookie


def current_viewer(db: Database, cookie: str, now: datetime | None = None) -> Viewer | None:
    """The person behind a session cookie, with their role as it is now; None if it ended."""
    now = now or utcnow()
    with db.session() as session:
        row = session.scalar(select(WebSession).where(WebSession.token_hash == token_hash(cookie)))
        if row is None or row.ended_at is not None:
            return None
        if _aware(row.expires_at) < now:
            row.ended_at = now
            return None
        role = _role(session, row.telegram_id)
        if role is None:  # the role was revoked: the session ends with it
            row.ended_at = now
            return None
        return Viewer(row.telegram_id, *role, csrf=row.csrf)


def sign_out(db: Database, cookie: str) -> None:
    """End the session (the logout button)."""
    with db.session() as session:
        row = session.scalar(select(WebSession).where(WebSession.token_hash == token_hash(cookie),
                                                      WebSession.ended_at.is_(None)))
        if row is not None:
            row.ended_at = utcnow()
            _audit(session, row.telegram_id, "signed_out")


def _audit(session: Session, telegram_id: int, kind: str) -> None:
    """A sign-in or sign-out in the office's audit log (an official's goes to their village's)."""
    officer = active_officer(session, telegram_id)
    if officer is not None:
        record(session, officer.office_id, officer_actor(officer), kind)
        return
    village = session.scalar(select(Village).join(Official, Official.village_id == Village.id)
                             .where(Official.telegram_id == telegram_id,
                                    Official.active.is_(True)).limit(1))
    if village is not None:
        record(session, village.office_id, "official", kind, village.name)


def _role(session: Session,
          telegram_id: int) -> tuple[str, str, int | None, str, tuple[int, ...]] | None:
    """(role, name, office id, office name, village ids) of an active account, or None."""
    officer: Officer | None = active_officer(session, telegram_id)
    if officer is not None:
        office = session.get(Office, officer.office_id)
        return ("admin" if officer.is_admin else "officer", officer.name, officer.office_id,
                office.name if office else "", ())
    villages = tuple(session.scalars(select(Official.village_id).where(
        Official.telegram_id == telegram_id, Official.active.is_(True))))
    if villages:
        return ("official", "", None, "", villages)
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def login_url(base_url: str, token: str) -> str:
    """The link /dasbor sends (and the console prints): it opens a page with a sign-in button."""
    return f"{base_url.rstrip('/')}/masuk?t={token}"


def demo_login(db: Database, telegram_id: int, name: str) -> str:
    """The local console's officer: an office admin of the first office (made if none), signed in.

    Only the console calls this, so `make run` shows a newcomer the dashboard with one click.
    """
    from bot.domain.people.roles import add_office, make_officer

    with db.session() as session:
        office = session.scalar(select(Office).order_by(Office.is_default.desc(), Office.id)
                                .limit(1))
        office_id = office.id if office else None
    if office_id is None:
        office_id = add_office(db, "DEMO", "Kantor Imigrasi Demo", default=True).id
    with db.session() as session:
        make_officer(session, telegram_id, office_id, name, admin=True)
    return issue_login(db, telegram_id) or ""
