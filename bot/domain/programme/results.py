"""The office's quiz results over time: participation, each village's score, hardest questions.

The Programme page's "results" answer the office's questions about its weekly quizzes: are
people still answering, which villages improve, and which questions most people get wrong
(the lesson to send next). One village's results are the same figures for that village only,
which is what a village's weekly quiz campaign produced.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select

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
    """The last `weeks` weeks of the office's quiz answers (or one of its villages')."""
    now = now or utcnow()
    start = monday_of(now) - timedelta(weeks=weeks - 1)
    since = datetime.combine(start, datetime.min.time(), tzinfo=now.tzinfo)
    scope = [Village.office_id == office_id]
    if village_id is not None:
        scope.append(Village.id == village_id)
    with db.session() as session:
        subscribers = session.scalar(select(func.count()).select_from(Subscription)
                                     .join(Village, Village.id == Subscription.village_id)
                                     .where(*scope, Subscription.active.is_(True))) or 0
        rows = session.execute(
            select(Village.name, QuizAnswer.telegram_id, QuizAnswer.correct,
                   QuizAnswer.answered_at)
            .join(Village, Village.id == QuizAnswer.village_id)
            .where(*scope, QuizAnswer.answered_at >= since)).all()
        right = func.sum(case((QuizAnswer.correct.is_(True), 1), else_=0))
        questions = session.execute(
            select(QuizPoll.question_id, func.max(QuizPoll.topic), func.count(), right)
            .join(QuizAnswer, QuizAnswer.poll_id == QuizPoll.poll_id)
            .join(Village, Village.id == QuizAnswer.village_id)
            .where(*scope, QuizAnswer.answered_at >= since)
            .group_by(QuizPoll.question_id).having(func.count() >= MIN_ANSWERS)).all()
    mondays = [start + timedelta(weeks=i) for i in range(weeks)]
    hardest = sorted((QuestionFigures(q, t, n, int(c or 0)) for q, t, n, c in questions),
                     key=lambda f: (f.score, -f.answers, f.question_id))[:HARDEST]
    return Results(subscribers, _weekly(((r[1], r[2], r[3]) for r in rows), mondays),
                   _per_village(rows, mondays), hardest)


def _weekly(answers, mondays: list[date]) -> list[WeekFigures]:  # type: ignore[no-untyped-def]
    """(person, correct, when) rows as one WeekFigures per Monday, empty weeks included."""
    people: dict[date, set[int]] = defaultdict(set)
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for person, correct, when in answers:
        week = monday_of(when)
        people[week].add(person)
        counts[week][0] += 1
        counts[week][1] += bool(correct)
    return [WeekFigures(m, len(people[m]), counts[m][0], counts[m][1]) for m in mondays]


def _per_village(rows, mondays: list[date]) -> dict[str, list[WeekFigures]]:  # type: ignore[no-untyped-def]
    """The busiest villages' weekly figures, busiest first."""
    by_village: dict[str, list[tuple[int, bool, datetime]]] = defaultdict(list)
    for name, person, correct, when in rows:
        by_village[name].append((person, correct, when))
    busiest = sorted(by_village, key=lambda n: (-len(by_village[n]), n))[:TOP_VILLAGES]
    return {name: _weekly(by_village[name], mondays) for name in busiest}
