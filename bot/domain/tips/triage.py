"""Officers working a tip: claim, note, ask the reporter, escalate, close, block, unblock.

Callback data can be forged, so every action first checks, on the server, that the person
is an active officer of the tip's own office; a refused attempt is logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.i18n import _
from bot.core.storage.models import (
    Office,
    Officer,
    Person,
    Tip,
    TipEvent,
    TipMedia,
    Village,
    utcnow,
)
from bot.core.storage.session import Database
from bot.domain.messaging.outbox import enqueue
from bot.domain.people.roles import active_officer
from bot.domain.replies import Reply
from bot.domain.tips.submission import TipError, notify_reporter
from bot.domain.tips.texts import (
    ESCALATE_KIND,
    ESCALATE_TO,
    OUTCOMES,
    answer_to_officer,
    escalated_case,
    history_line,
    officer_alert,
    question_to_reporter,
)

log = logging.getLogger(__name__)
ANSWER_WINDOW = timedelta(days=7)  # a typed message this long after a question may answer it


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
                question_to_reporter(tip, question[:2000]), protect=True)
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
                    answer_to_officer(tip, answer[:2000]), protect=True)
        session.expunge(tip)
        return tip


def awaiting_answer(db: Database, reporter_id: int, within: timedelta = ANSWER_WINDOW
                    ) -> Tip | None:
    """The reporter's open tip whose latest officer question is not answered yet.

    A reporter who types the answer instead of pressing "Jawab" lost it: the officer never
    got it. With this the bot can offer to pass the typed text on.
    """
    with db.session() as session:
        tips = list(session.scalars(select(Tip).where(Tip.reporter_id == reporter_id,
                                                      Tip.status != "closed")
                                    .order_by(Tip.id.desc()).limit(5)))
        for tip in tips:
            last = session.scalar(select(TipEvent).where(
                TipEvent.tip_id == tip.id, TipEvent.kind.in_(("question", "answer")))
                .order_by(TipEvent.id.desc()).limit(1))
            if last is not None and last.kind == "question" and \
                    _utc(last.created_at) > utcnow() - within:
                session.expunge(tip)
                return tip
        return None


def reporters_with_open_tips(session: Session, people: set[int]) -> set[int]:
    """Which of these people have a tip that is not closed (one query for a batch of updates).

    `awaiting_answer` can only find something for them: for everybody else (nearly every
    villager) the bot skips that look-up on each message they type.
    """
    if not people:
        return set()
    return set(session.scalars(select(Tip.reporter_id).distinct().where(
        Tip.reporter_id.in_(sorted(people)), Tip.status != "closed")))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _handlers(session: Session, tip: Tip) -> list[int]:
    if tip.claimed_by:
        officer = session.get(Officer, tip.claimed_by)
        if officer and officer.active:
            return [officer.telegram_id]
    return [o.telegram_id for o in session.scalars(
        select(Officer).where(Officer.office_id == tip.office_id, Officer.active.is_(True)))]


@dataclass(frozen=True)
class Escalation:
    """What escalating did: `sent_to` names who received the case, "" when only recorded."""

    tip: Tip
    sent_to: str


def escalate(db: Database, telegram_id: int, tip_id: int, to: str, note: str = "") -> Escalation:
    """Record that the tip goes to BP3MI or the police, and send it there when configured.

    "Teruskan" used to change the status and send nothing, without saying so. An office of
    that kind (`desabot offices add --kind bp3mi|polisi`) with a group or officers receives
    the case; without one the officer is told it was only recorded.
    """
    if to not in ESCALATE_TO:
        raise TipError("bad_target")
    with db.session() as session:
        officer, tip = _authorised(session, telegram_id, tip_id)
        if tip.status == "closed":
            raise TipError("closed")
        tip.status = "escalated"
        tip.claimed_by = tip.claimed_by or officer.id
        event = _event(session, tip, officer, "escalated", f"{ESCALATE_TO[to]}: {note}"[:2000])
        sent_to = _send_case(session, tip, to, event.id)
        notify_reporter(session, tip, event.id)
        session.expunge(tip)
        return Escalation(tip, sent_to)


def _send_case(session: Session, tip: Tip, to: str, event_id: int) -> str:
    """Queue the case to the first configured office of that kind; its name, or ""."""
    own = session.get(Office, tip.office_id)
    for office in session.scalars(select(Office).where(Office.kind == ESCALATE_KIND[to],
                                                       Office.id != tip.office_id)
                                  .order_by(Office.id)):
        chats = [office.group_chat_id] if office.group_chat_id else [
            o.telegram_id for o in session.scalars(select(Officer).where(
                Officer.office_id == office.id, Officer.active.is_(True)))]
        if not chats:
            continue
        village = session.get(Village, tip.village_id) if tip.village_id else None
        case = escalated_case(tip, village.name if village else None,
                              tip.reporter_name if tip.consent else None,
                              own.name if own else "")
        media = list(session.scalars(select(TipMedia).where(TipMedia.tip_id == tip.id)))
        for chat_id in chats:
            key = f"tip:{tip.id}:escalated:{event_id}:{chat_id}"
            enqueue(session, key, chat_id, case, protect=True)
            for item in media:
                enqueue(session, f"{key}:m{item.id}", chat_id, Reply(tip.code), item.kind,
                        item.file_id, protect=True, file_bot=item.bot_key)
        return office.name
    return ""


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


@dataclass(frozen=True)
class TipView:
    """A tip as an officer opens it later: the alert, its history and its media."""

    reply: Reply
    media: list[tuple[str, str, str, str | None]]  # (kind, file_id, caption, its bot's key)


def view(db: Database, telegram_id: int, tip_id: int, zone: str) -> TipView:
    """The tip for an officer of its office, with village, history and photos.

    Opened from /laporan it showed "Desa: tidak diketahui", no photo and no history, so a
    tip filed before any officer existed never reached one with its evidence.
    """
    with db.session() as session:
        _officer, tip = _authorised(session, telegram_id, tip_id)
        village = session.get(Village, tip.village_id) if tip.village_id else None
        events = list(session.scalars(select(TipEvent).where(TipEvent.tip_id == tip.id)
                                      .order_by(TipEvent.id)))
        media = [(m.kind, m.file_id, m.caption, m.bot_key) for m in session.scalars(
            select(TipMedia).where(TipMedia.tip_id == tip.id).order_by(TipMedia.id))]
        alert = officer_alert(tip, village.name if village else None,
                              tip.reporter_name if tip.consent else None)
        lines = [alert.text, "", _("History:")]
        lines += [history_line(e.created_at, e.kind, e.text, zone) for e in events]
        if media:
            lines.append(_("Photos and files of the report: {n}, sent below.").format(
                n=len(media)))
        return TipView(Reply("\n".join(lines)[:4000], alert.buttons), media)


def is_office_group(db: Database, chat_id: int) -> bool:
    """True for an office's own group of officers, the only group where tips may be shown.

    /laporan typed by an officer in a village group listed the open tips there, and its
    buttons opened each tip for the reporter's neighbours to read.
    """
    with db.session() as session:
        return session.scalar(select(Office.id).where(Office.group_chat_id == chat_id)
                              .limit(1)) is not None


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
