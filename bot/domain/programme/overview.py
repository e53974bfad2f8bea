"""The office's villages at a glance: subscribers, groups, officials, last lesson, quiz uptake.

One grouped query per measure, not one query per village, and only for the page shown: an
office with 500 villages gets each page in a handful of round trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from bot.core.storage.models import (
    Broadcast,
    LinkedGroup,
    Official,
    QuizAnswer,
    Subscription,
    Village,
    utcnow,
)
from bot.core.storage.session import Database

PARTICIPATION_DAYS = 30
PER_PAGE = 50


@dataclass(frozen=True)
class VillageRow:
    """One village of the office with its programme's figures."""

    id: int
    code: str
    name: str
    district: str
    regency: str
    timezone: str
    subscribers: int
    groups: int
    officials: int
    last_lesson: datetime | None
    quiz_people: int  # distinct people who answered a quiz in the last PARTICIPATION_DAYS

    @property
    def participation(self) -> float:
        """Share of subscribers who answered a quiz lately (0 when there are none)."""
        return min(1.0, self.quiz_people / self.subscribers) if self.subscribers else 0.0


@dataclass(frozen=True)
class VillagePage:
    """One page of the office's villages, and how many there are in all."""

    rows: list[VillageRow]
    total: int
    page: int
    pages: int


def office_villages(db: Database, office_id: int | None, village_ids: tuple[int, ...] = (),
                    search: str = "", now: datetime | None = None, page: int = 1,
                    per_page: int = PER_PAGE) -> VillagePage:
    """A page of the villages of an office (or an official's own villages), by name.

    The figures are counted for the page's villages only, so the page costs the same with
    50 villages or 5,000. The search matches the village, kecamatan or kabupaten.
    """
    now = now or utcnow()
    with db.session() as session:
        scope = Village.id.in_(village_ids) if office_id is None else \
            Village.office_id == office_id
        wanted = [scope]
        if search.strip():
            pattern = f"%{search.strip()[:60]}%"
            wanted.append(Village.name.ilike(pattern) | Village.district.ilike(pattern)
                          | Village.regency.ilike(pattern))
        total = session.scalar(select(func.count()).select_from(Village).where(*wanted)) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        villages = list(session.scalars(select(Village).where(*wanted)
                                        .order_by(Village.name, Village.id)
                                        .limit(per_page).offset((page - 1) * per_page)))
        shown = Village.id.in_([v.id for v in villages])
        subs = _counts(session, shown, Subscription.village_id, Subscription.active.is_(True))
        groups = _counts(session, shown, LinkedGroup.village_id, LinkedGroup.active.is_(True))
        officials = _counts(session, shown, Official.village_id, Official.active.is_(True))
        lessons = _grouped(session, shown, Broadcast.village_id, func.max(Broadcast.created_at),
                           Broadcast.kind == "lesson", Broadcast.status.in_(("sending", "done")))
        since = now - timedelta(days=PARTICIPATION_DAYS)
        quiz = _grouped(session, shown, QuizAnswer.village_id,
                        func.count(distinct(QuizAnswer.telegram_id)),
                        QuizAnswer.answered_at >= since)
        rows = [VillageRow(v.id, v.code, v.name, v.district, v.regency, v.timezone,
                           subs.get(v.id, 0), groups.get(v.id, 0), officials.get(v.id, 0),
                           lessons.get(v.id), quiz.get(v.id, 0)) for v in villages]
        return VillagePage(rows, total, page, pages)


def _counts(session: Session, scope, column, *where) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return _grouped(session, scope, column, func.count(), *where)


def _grouped(session: Session, scope, column, measure, *where) -> dict:  # type: ignore[no-untyped-def]
    """One figure per village of the scope (at most a page of ids), in one grouped query."""
    query = select(column, measure).join(Village, Village.id == column).where(scope, *where) \
        .group_by(column)
    return dict(session.execute(query).all())


def village_of(db: Database, village_id: int, office_id: int | None,
               village_ids: tuple[int, ...] = ()) -> Village | None:
    """The village if the viewer may see it (their office's, or their own as an official)."""
    with db.session() as session:
        village = session.get(Village, village_id)
        if village is None:
            return None
        allowed = village.office_id == office_id if office_id is not None else \
            village.id in village_ids
        if not allowed:
            return None
        session.expunge(village)
        return village
