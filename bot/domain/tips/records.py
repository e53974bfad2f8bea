"""Records: CSV export of an office's tips, and purging personal data from old tips.

The export names the reporter only when they consented; the purge keeps the anonymous
statistics (office, village, dates, risk, outcome) and deletes the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy import delete, select

from bot.core.spreadsheet import SafeDictWriter
from bot.core.storage.models import Office, OutboxMessage, Tip, TipEvent, TipMedia, Village
from bot.core.storage.session import Database
from bot.domain.people.roles import office_by_code

FIELDS = ("code", "created_at", "status", "outcome", "urgent", "village", "destination",
          "risk", "recruiter", "story", "offer_text", "reporter")


def export_csv(db: Database, office_code: str, since: datetime | None, out: TextIO) -> int:
    """Write the office's tips; returns how many."""
    writer = SafeDictWriter(out, FIELDS)
    writer.writeheader()
    with db.session() as session:
        office = office_by_code(session, office_code)
        query = select(Tip, Village.name).outerjoin(Village, Tip.village_id == Village.id) \
            .where(Tip.office_id == office.id).order_by(Tip.id)
        if since is not None:
            query = query.where(Tip.created_at >= _aware(since))
        rows = session.execute(query).all()
        for tip, village in rows:
            writer.writerow({
                "code": tip.code, "created_at": tip.created_at.isoformat(),
                "status": tip.status, "outcome": tip.outcome or "", "urgent": tip.urgent,
                "village": village or "", "destination": tip.destination, "risk": tip.risk,
                "recruiter": tip.recruiter, "story": tip.story, "offer_text": tip.offer_text,
                "reporter": tip.reporter_name if tip.consent else "",
            })
        return len(rows)


def export_office(db: Database, office_id: int, out: TextIO) -> int:
    """The dashboard's export: the signed-in officer's own office, all its tips."""
    with db.session() as session:
        code = session.scalar(select(Office.code).where(Office.id == office_id))
    return export_csv(db, code, None, out)


def purge(db: Database, closed_before: datetime) -> int:
    """Remove personal data from tips closed before the date; returns how many."""
    with db.session() as session:
        tips = list(session.scalars(select(Tip).where(
            Tip.status == "closed", Tip.closed_at < _aware(closed_before),
            Tip.purged.is_(False))))
        for tip in tips:
            tip.reporter_id = tip.reporter_name = None
            tip.story = tip.offer_text = tip.recruiter = ""
            tip.purged = True
            for media in session.scalars(select(TipMedia).where(TipMedia.tip_id == tip.id)):
                session.delete(media)
            for event in session.scalars(select(TipEvent).where(TipEvent.tip_id == tip.id)):
                event.text = ""
            # The tip's queued and sent messages: their payloads quote the story, and the
            # ones to the reporter pair the reporter's chat id with the tip's number.
            session.execute(delete(OutboxMessage).where(
                OutboxMessage.dedupe_key.startswith(f"tip:{tip.id}:", autoescape=True)))
        return len(tips)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


