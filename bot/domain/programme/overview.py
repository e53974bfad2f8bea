"""The office's villages at a glance: subscribers, groups, officials, last lesson, quiz uptake.

One grouped query per measure, not one query per village: an office with 500 villages gets
its page in a handful of round trips.
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


def office_villages(db: Database, office_id: int | None, village_ids: tuple[int, ...] = (),
                    search: str = "", now: datetime | None = None) -> list[VillageRow]:
    """The villages of an office (or, for an official, their own villages), by name."""
    now = now or utcnow()
    with db.session() as session:
        scope = Village.id.in_(village_ids) if office_id is None else \
            Village.office_id == office_id
        query = select(Village).where(scope)
        if search.strip():
            query = query.where(Village.name.ilike(f"%{search.strip()[:60]}%"))
        villages = list(session.scalars(query.order_by(Village.name)))
        subs = _counts(session, scope, Subscription.village_id, Subscription.active.is_(True))
        groups = _counts(session, scope, LinkedGroup.village_id, LinkedGroup.active.is_(True))
        officials = _counts(session, scope, Official.village_id, Official.active.is_(True))
        lessons = _grouped(session, scope, Broadcast.village_id, func.max(Broadcast.created_at),
                           Broadcast.kind == "lesson", Broadcast.status.in_(("sending", "done")))
        since = now - timedelta(days=PARTICIPATION_DAYS)
        quiz = _grouped(session, scope, QuizAnswer.village_id,
                        func.count(distinct(QuizAnswer.telegram_id)),
                        QuizAnswer.answered_at >= since)
        return [VillageRow(v.id, v.code, v.name, v.district, v.regency, v.timezone,
                           subs.get(v.id, 0), groups.get(v.id, 0), officials.get(v.id, 0),
                           lessons.get(v.id), quiz.get(v.id, 0)) for v in villages]


def _counts(session: Session, scope, column, *where) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return _grouped(session, scope, column, func.count(), *where)


def _grouped(session: Session, scope, column, measure, *where) -> dict:  # type: ignore[no-untyped-def]
    """One figure per village of the scope: a join on villages, not a list of 500 ids."""
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
