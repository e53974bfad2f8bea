"""The office's programme on a calendar: lessons and quizzes per village, scheduled and sent.

Also the weekly campaigns, the officials' messages waiting for approval and the quiz export.
Days are the village's own: a lesson at 19.00 WITA on Friday is on Friday, whatever the
server's zone.
"""

from __future__ import annotations

import calendar
import csv
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.core.spreadsheet import safe_cell
from bot.core.storage.models import Broadcast, Campaign, Village
from bot.core.storage.session import Database
from bot.domain.programme.quiz_results import village_stats

SLACK = timedelta(hours=14)  # more than the widest gap between UTC and a village's own day
SHOWN = ("scheduled", "queued", "sending", "done", "awaiting", "rejected")


@dataclass(frozen=True)
class Entry:
    """One lesson, quiz or message on the calendar."""

    day: date
    at: datetime
    timezone: str
    village: str
    kind: str  # "lesson", "quiz", "text"
    status: str
    subject: str  # the lesson or question id, or the message's first words


@dataclass(frozen=True)
class CampaignRow:
    """A weekly quiz of one village."""

    village: str
    weekday: int
    hour: int
    minute: int
    questions: int
    topic: str
    active: bool
    last_run_at: datetime | None
    village_id: int = 0


@dataclass(frozen=True)
class Awaiting:
    """An official's own message waiting for an officer."""

    id: int
    village: str
    text: str
    created_at: datetime
    timezone: str


def month_weeks(year: int, month: int) -> list[list[date | None]]:
    """The month as weeks from Monday; days of other months are None."""
    return [[date(year, month, d) if d else None for d in week]
            for week in calendar.Calendar().monthdayscalendar(year, month)]


def month_entries(db: Database, office_id: int, year: int, month: int) -> dict[date, list[Entry]]:
    """The office's broadcasts of one month (by the village's own day), day by day."""
    first = datetime(year, month, 1, tzinfo=UTC)
    last = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    moment = func.coalesce(Broadcast.scheduled_for, Broadcast.created_at)
    with db.session() as session:
        rows = session.execute(
            select(Broadcast, Village.name, Village.timezone)
            .join(Village, Broadcast.village_id == Village.id)
            .where(Village.office_id == office_id, Broadcast.status.in_(SHOWN),
                   moment >= first - SLACK, moment < last + SLACK)
            .order_by(moment)).all()
    days: dict[date, list[Entry]] = {}
    for broadcast, village, zone in rows:
        at = broadcast.scheduled_for or broadcast.created_at
        local = at.astimezone(ZoneInfo(zone))
        if (local.year, local.month) != (year, month):
            continue
        days.setdefault(local.date(), []).append(Entry(
            local.date(), at, zone, village, broadcast.kind, broadcast.status,
            _subject(broadcast)))
    return days


def _subject(broadcast: Broadcast) -> str:
    content = json.loads(broadcast.content or "{}")
    if broadcast.kind == "lesson":
        return str(content.get("lesson", ""))
    if broadcast.kind == "quiz":
        return str(content.get("question", ""))
    return str(content.get("text", ""))[:60]


def campaigns(db: Database, office_id: int) -> list[CampaignRow]:
    """The weekly quizzes of the office's villages."""
    with db.session() as session:
        return [CampaignRow(name, c.weekday, c.hour, c.minute, c.questions, c.topic or "",
                            c.active, c.last_run_at, c.village_id) for c, name in session.execute(
            select(Campaign, Village.name).join(Village, Campaign.village_id == Village.id)
            .where(Village.office_id == office_id)
            .order_by(Campaign.active.desc(), Village.name))]


def awaiting(db: Database, office_id: int) -> list[Awaiting]:
    """Officials' messages of the office's villages that wait for an officer's decision."""
    with db.session() as session:
        return [Awaiting(b.id, name, json.loads(b.content).get("text", ""), b.created_at, zone)
                for b, name, zone in session.execute(
                    select(Broadcast, Village.name, Village.timezone)
                    .join(Village, Broadcast.village_id == Village.id)
                    .where(Village.office_id == office_id, Broadcast.status == "awaiting")
                    .order_by(Broadcast.id))]


def export_quiz_results(db: Database, office_id: int, out: TextIO) -> int:
    """Quiz results of the office's villages as CSV (formula-safe); returns how many rows."""
    writer = csv.writer(out)
    writer.writerow(["code", "village", "subscribers", "participants", "answers",
                     "average_score", "weakest_topics"])
    with db.session() as session:
        villages = list(session.execute(select(Village.id, Village.code, Village.name)
                                        .where(Village.office_id == office_id)
                                        .order_by(Village.name)))
    for village_id, code, name in villages:
        stats = village_stats(db, village_id)
        writer.writerow([safe_cell(code), safe_cell(name), stats.subscribers, stats.participants,
                         stats.answers, f"{stats.score:.3f}",
                         safe_cell("; ".join(t for t, _ in stats.weakest))])
    return len(villages)


def month_of(text: str, today: date) -> tuple[int, int]:
    """"2026-12" from the address, else this month."""
    try:
        year, month = (int(part) for part in text.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month

