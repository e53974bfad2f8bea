"""The office's quiz results over time: participation, each village's score, hardest questions.

The Programme page's "results" answer the office's questions about its weekly quizzes: are
people still answering, which villages improve, and which questions most people get wrong
(the lesson to send next). One village's results are the same figures for that village only,
which is what a village's weekly quiz campaign produced.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, distinct, func, select

from bot.core.storage.models import QuizAnswer, QuizPoll, Subscription, Village, utcnow
from bot.core.storage.session import Database

WEEKS = 8
TOP_VILLAGES = 6  # lines on the score chart: more would be unreadable
HARDEST = 8
MIN_ANSWERS = 3  # a question answered twice says nothing about its difficulty


@dataclass(frozen=True)
class WeekFigures:
    """One week (from its Monday) of quiz answers."""

    monday: date
    participants: int
    answers: int
    correct: int

    @property
    def score(self) -> float:
        """Share of right answers in the week."""
        return self.correct / self.answers if self.answers else 0.0


@dataclass(frozen=True)
class QuestionFigures:
    """How one question was answered."""

    question_id: str
    topic: str
    answers: int
    correct: int

    @property
    def score(self) -> float:
        """Share of right answers (low is hard)."""
        return self.correct / self.answers if self.answers else 0.0


@dataclass
class Results:
    """The quiz results of an office, or of one of its villages."""

    subscribers: int = 0
    weeks: list[WeekFigures] = field(default_factory=list)
    villages: dict[str, list[WeekFigures]] = field(default_factory=dict)  # busiest first
    hardest: list[QuestionFigures] = field(default_factory=list)

    @property
    def participants(self) -> int:
        """People who answered in the busiest week (a person counts once a week)."""
        return max((w.participants for w in self.weeks), default=0)


def monday_of(moment: datetime) -> date:
    """The Monday of the week a moment falls in (UTC weeks, as the village chart has them)."""
    day = moment.date()
    return day - timedelta(days=day.weekday())


def quiz_results(db: Database, office_id: int, village_id: int | None = None,
                 now: datetime | None = None, weeks: int = WEEKS) -> Results:
    """The last `weeks` weeks of the office's quiz answers (or one of its villages').

    Counted by the database in three grouped queries (per week, per village and week, per
    question), so 50,000 answers cost the same round trips as 50.
    """
    now = now or utcnow()
    start = monday_of(now) - timedelta(weeks=weeks - 1)
    since = datetime.combine(start, datetime.min.time(), tzinfo=now.tzinfo)
    scope = [Village.office_id == office_id, QuizAnswer.answered_at >= since]
    if village_id is not None:
        scope.append(Village.id == village_id)
    right = func.sum(case((QuizAnswer.correct.is_(True), 1), else_=0))
    people = func.count(distinct(QuizAnswer.telegram_id))
    with db.session() as session:
        week = week_of(session.get_bind().dialect.name, QuizAnswer.answered_at)
        subscribers = session.scalar(
            select(func.count()).select_from(Subscription)
            .join(Village, Village.id == Subscription.village_id)
            .where(scope[0], *scope[2:], Subscription.active.is_(True))) or 0

        def grouped(*columns):  # type: ignore[no-untyped-def]
            return select(*columns).select_from(QuizAnswer) \
                .join(Village, Village.id == QuizAnswer.village_id).where(*scope)

        week_rows = session.execute(grouped(week, people, func.count(), right)
                                    .group_by(week)).all()
        village_rows = session.execute(grouped(Village.name, week, people, func.count(), right)
                                       .group_by(Village.name, week)).all()
        question_rows = session.execute(
            grouped(QuizPoll.question_id, func.max(QuizPoll.topic), func.count(), right)
            .join(QuizPoll, QuizPoll.poll_id == QuizAnswer.poll_id)
            .group_by(QuizPoll.question_id).having(func.count() >= MIN_ANSWERS)).all()
    mondays = [start + timedelta(weeks=i) for i in range(weeks)]
    hardest = sorted((QuestionFigures(q, t, n, int(c or 0)) for q, t, n, c in question_rows),
                     key=lambda f: (f.score, -f.answers, f.question_id))[:HARDEST]
    return Results(subscribers, _weekly(week_rows, mondays),
                   _per_village(village_rows, mondays), hardest)


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()
CACHE_SECONDS = 60.0


def recent_results(db: Database, office_id: int, village_id: int | None = None) -> Results:
    """`quiz_results`, computed at most once a minute per office and village.

    The results page and its three charts are four requests for the same figures; with
    50,000 answers each computation takes a few hundred milliseconds on SQLite. Quiz answers
    arrive once a week per villager, so a minute-old figure is as good as a fresh one.
    """
    key, clock = (office_id, village_id), time.monotonic()
    with _CACHE_LOCK:
        entries = _CACHE.setdefault(db, {})
        hit = entries.get(key)
        if hit is not None and clock - hit[0] < CACHE_SECONDS:
            return hit[1]
    fresh = quiz_results(db, office_id, village_id)
    with _CACHE_LOCK:
        _CACHE.setdefault(db, {})[key] = (clock, fresh)
    return fresh


def week_of(dialect: str, column):  # type: ignore[no-untyped-def]
    """The Monday (UTC) of a timestamp, as SQL: PostgreSQL's date_trunc, SQLite's date()."""
    if dialect == "postgresql":
        return func.date_trunc("week", func.timezone("UTC", column)).label("week")
    return func.date(column, "weekday 0", "-6 days").label("week")


def _as_date(value) -> date:  # type: ignore[no-untyped-def]
    """The week column as a date (PostgreSQL gives a datetime, SQLite a 'YYYY-MM-DD' text)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _weekly(rows, mondays: list[date]) -> list[WeekFigures]:  # type: ignore[no-untyped-def]
    """(week, people, answers, right) rows as one WeekFigures per Monday, empty weeks too."""
    found = {_as_date(w): WeekFigures(_as_date(w), p, n, int(c or 0)) for w, p, n, c in rows}
    return [found.get(m, WeekFigures(m, 0, 0, 0)) for m in mondays]


def _per_village(rows, mondays: list[date]) -> dict[str, list[WeekFigures]]:  # type: ignore[no-untyped-def]
    """The busiest villages' weekly figures, busiest first."""
    by_village: dict[str, list] = defaultdict(list)
    for name, *figures in rows:
        by_village[name].append(figures)
    total = {name: sum(f[2] for f in figures) for name, figures in by_village.items()}
    busiest = sorted(by_village, key=lambda n: (-total[n], n))[:TOP_VILLAGES]
    return {name: _weekly(by_village[name], mondays) for name in busiest}
