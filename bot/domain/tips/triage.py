"""Officers working a tip: claim, note, ask the reporter, escalate, close, block, unblock.

Callback data can be forged, so every action first checks, on the server, that the person
is an active officer of the tip's own office; a refused attempt is logged.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.storage.models import Officer, Person, Tip, TipEvent, utcnow
from bot.core.storage.session import Database
from bot.domain.messaging.outbox import enqueue
from bot.domain.people.roles import active_officer
from bot.domain.tips.submission import TipError, notify_reporter
from bot.domain.tips.texts import ESCALATE_TO, OUTCOMES, answer_to_officer, question_to_reporter

log = logging.getLogger(__name__)


def _authorised(session: Session, telegram_id: int, tip_id: int) -> tuple[Officer, Tip]:
    officer = active_officer(session, telegram_id)
    tip = session.get(Tip, tip_id)
    if officer is None or tip is None or tip.office_id != officer.office_id:
        log.warning("refused tip action: account %s on tip %s", telegram_id, tip_id)
        raise TipError("forbidden")
    return officer, tip


def _event(session: Session, tip: Tip, officer: Officer, kind: str, text: str = "") -> TipEvent:
    event = TipEvent(tip_id=tip.id, actor=f"officer:{officer.id}", kind=kind, text=text)
    session.add(event)
    session.flush()
    return event


def check_officer(db: Database, telegram_id: int, tip_id: int) -> None:
    """Raise TipError unless the account may work this tip (before asking it to type)."""
    with db.session() as session:
        _authorised(session, telegram_id, tip_id)


def claim(db: Database, telegram_id: int, tip_id: int) -> Tip:
    """"Saya tangani": the officer takes the tip; the reporter hears of it."""
    with db.session() as session:
        officer, tip = _authorised(session, telegram_id, tip_id)
        if tip.status == "closed":
            raise TipError("closed")
        if tip.claimed_by not in (None, officer.id):
            raise TipError("taken")
        changed = tip.status == "new"
        tip.claimed_by, tip.status = officer.id, "claimed" if tip.status == "new" else tip.status
        event = _event(session, tip, officer, "claimed")
        if changed:
            notify_reporter(session, tip, event.id)
        session.expunge(tip)
        return tip


def add_note(db: Database, telegram_id: int, tip_id: int, text: str) -> Tip:
    """An internal note; the reporter is not told."""
    with db.session() as session:
        officer, tip = _authorised(session, telegram_id, tip_id)
        _event(session, tip, officer, "note", text[:2000])
        session.expunge(tip)
        return tip


def ask_reporter(db: Database, telegram_id: int, tip_id: int, question: str) -> Tip:
    """Relay a question to the reporter; neither side sees the other's account."""
    with db.session() as session:
        officer, tip = _authorised(session, telegram_id, tip_id)
        if tip.reporter_id is None:
            raise TipError("purged")
        event = _event(session, tip, officer, "question", question[:2000])
        enqueue(session, f"tip:{tip.id}:question:{event.id}", tip.reporter_id,
                question_to_reporter(tip, question[:2000]))
        session.expunge(tip)
        return tip


def reporter_answers(db: Database, reporter_id: int, tip_id: int, answer: str) -> Tip:
    """Relay the reporter's answer to the officer who handles the tip (or the office)."""
    with db.session() as session:
        tip = session.get(Tip, tip_id)
        if tip is not None and tip.purged:
            # Most likely the real reporter answering an old question: account and tip
            # number in one line would re-create the link the purge removed.
            log.info("an answer to a purged tip was refused")
            raise TipError("purged")
        if tip is None or tip.reporter_id != reporter_id:
            log.warning("refused answer: account %s on tip %s", reporter_id, tip_id)
            raise TipError("forbidden")
        event = TipEvent(tip_id=tip.id, actor="reporter", kind="answer", text=answer[:2000])
        session.add(event)
        session.flush()
        for chat_id in _handlers(session, tip):
            enqueue(session, f"tip:{tip.id}:answer:{event.id}:{chat_id}", chat_id,
                    answer_to_officer(tip, answer[:2000]))
        session.expunge(tip)
        return tip


def _handlers(session: Session, tip: Tip) -> list[int]:
    if tip.claimed_by:
        officer = session.get(Officer, tip.claimed_by)
        if officer and officer.active:
            return [officer.telegram_id]
    return [o.telegram_id for o in session.scalars(
        select(Officer).where(Officer.office_id == tip.office_id, Officer.active.is_(True)))]


def escalate(db: Database, telegram_id: int, tip_id: int, to: str, note: str = "") -> Tip:
    """Record that the tip went to BP3MI or the police."""
    if to not in ESCALATE_TO:
        raise TipError("bad_target")
    with db.session() as session:
        officer, tip = _authorised(session, telegram_id, tip_id)
        if tip.status == "closed":
            raise TipError("closed")
        tip.status = "escalated"
        tip.claimed_by = tip.claimed_by or officer.id
        event = _event(session, tip, officer, "escalated", f"{ESCALATE_TO[to]}: {note}"[:2000])
        notify_reporter(session, tip, event.id)
        session.expunge(tip)
        return tip


def close(db: Database, telegram_id: int, tip_id: int, outcome: str) -> Tip:
    """Close with an outcome; the reporter is told in plain words."""
    if outcome not in OUTCOMES:
        raise TipError("bad_outcome")
    with db.session() as session:
        officer, tip = _authorised(session, telegram_id, tip_id)
        if tip.status == "closed":
            raise TipError("closed")
        tip.status, tip.outcome, tip.closed_at = "closed", outcome, utcnow()
        event = _event(session, tip, officer, "closed", outcome)
        notify_reporter(session, tip, event.id)
        session.expunge(tip)
        return tip


def block_reporter(db: Database, telegram_id: int, tip_id: int) -> Tip:
    """Stop an abusive account from sending more tips (the tip itself stays)."""
    return _set_blocked(db, telegram_id, tip_id, True)


def unblock_reporter(db: Database, telegram_id: int, tip_id: int) -> Tip:
    """Accept tips from the tip's reporter again."""
    return _set_blocked(db, telegram_id, tip_id, False)


def _set_blocked(db: Database, telegram_id: int, tip_id: int, blocked: bool) -> Tip:
    with db.session() as session:
        officer, tip = _authorised(session, telegram_id, tip_id)
        _block(session, tip, blocked, f"officer:{officer.id}")
        session.expunge(tip)
        return tip


def set_blocked_by_code(db: Database, code: str, blocked: bool) -> Tip:
    """The command line's block and unblock (the operator, not an officer), by tip code."""
    with db.session() as session:
        tip = session.scalar(select(Tip).where(Tip.code == code.strip().upper()))
        if tip is None:
            raise TipError("not_found")
        _block(session, tip, blocked, "admin")
        session.expunge(tip)
        return tip


def _block(session: Session, tip: Tip, blocked: bool, actor: str) -> None:
    """Set the reporter's flag and write the audit event; the officer never learns who."""
    if tip.reporter_id is None:
        raise TipError("purged")
    person = session.scalar(select(Person).where(Person.telegram_id == tip.reporter_id))
    if person is None:
        person = Person(telegram_id=tip.reporter_id)
        session.add(person)
    person.tips_blocked = blocked
    session.add(TipEvent(tip_id=tip.id, actor=actor, kind="blocked" if blocked else "unblocked"))
    session.flush()


def tip_id_by_code(db: Database, telegram_id: int, code: str) -> int:
    """The id of a tip of the officer's office by its code (for /blokir KODE)."""
    with db.session() as session:
        tip = session.scalar(select(Tip).where(Tip.code == code.strip().upper()))
        officer = active_officer(session, telegram_id)
        if officer is None or tip is None or tip.office_id != officer.office_id:
            log.warning("refused tip look-up by code from account %s", telegram_id)
            raise TipError("forbidden")
        return tip.id


def open_tips(db: Database, telegram_id: int) -> list[Tip]:
    """The officer's office's tips that are not closed, newest first."""
    with db.session() as session:
        officer = active_officer(session, telegram_id)
        if officer is None:
            raise TipError("forbidden")
        tips = list(session.scalars(select(Tip).where(Tip.office_id == officer.office_id,
                                                      Tip.status != "closed")
                                    .order_by(Tip.id.desc()).limit(30)))
        for tip in tips:
            session.expunge(tip)
        return tips
