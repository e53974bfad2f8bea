"""Quiz answers and what they say about a village: participation, scores, weak topics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.core.storage.models import (
    LinkedGroup,
    QuizAnswer,
    QuizPoll,
    Subscription,
    Village,
    utcnow,
)
from bot.core.storage.session import Database
from bot.domain.programme.library import Question


def poll_row(poll_id: str, question: Question, chat_id: int, village_id: int | None) -> QuizPoll:
    """The row that says which question a sent poll asks, so its answers can be scored."""
    return QuizPoll(poll_id=poll_id, question_id=question.id, topic=question.topic,
                    correct_option=question.correct, chat_id=chat_id, village_id=village_id)


def remember_poll(db: Database, poll_id: str, question: Question, chat_id: int,
                  village_id: int | None) -> None:
    """Keep which question a sent poll asks (a /kuis answered on the spot)."""
    with db.session() as session:
        session.add(poll_row(poll_id, question, chat_id, village_id))


def record_answer(db: Database, poll_id: str, telegram_id: int, options: list[int]) -> bool | None:
    """Store an answer; None for polls we did not send (ignored), else whether it was right."""
    if not options:
        return None  # a retracted vote
    try:
        with db.session() as session:
            poll = session.scalar(select(QuizPoll).where(QuizPoll.poll_id == poll_id))
            if poll is None:
                return None
            village = poll.village_id or session.scalar(select(Subscription.village_id).where(
                Subscription.chat_id == telegram_id))
            correct = options[0] == poll.correct_option
            session.add(QuizAnswer(poll_id=poll_id, telegram_id=telegram_id, option=options[0],
                                   correct=correct, village_id=village))
            return correct
    except IntegrityError:
        return None  # the same person answering the same poll again: first answer counts


@dataclass
class VillageStats:
    """A village's quiz results."""

    name: str
    participants: int = 0
    answers: int = 0
    correct: int = 0
    subscribers: int = 0
    subscribed_participants: int = 0  # participants who are also subscribers
    group_chats: list[int] = field(default_factory=list)  # linked village groups (chat ids)
    weakest: list[tuple[str, float]] = field(default_factory=list)
    topics: dict[str, tuple[float, int]] = field(default_factory=dict)  # score, answers
    weekly: list[tuple[date, float, int]] = field(default_factory=list)  # Monday, score, n

    @property
    def score(self) -> float:
        """Share of correct answers."""
        return self.correct / self.answers if self.answers else 0.0


def village_stats(db: Database, village_id: int, now: datetime | None = None,
                  weeks: int = 8) -> VillageStats:
    """Participation, average score, weakest topics and the weekly trend."""
    now = now or utcnow()
    with db.session() as session:
        village = session.get(Village, village_id)
        rows = session.execute(select(QuizAnswer, QuizPoll.topic).join(
            QuizPoll, QuizAnswer.poll_id == QuizPoll.poll_id).where(
            QuizAnswer.village_id == village_id)).all()
        subscribed = set(session.scalars(select(Subscription.chat_id).where(
            Subscription.village_id == village_id, Subscription.active.is_(True))))
        groups = list(session.scalars(select(LinkedGroup.chat_id).where(
            LinkedGroup.village_id == village_id, LinkedGroup.active.is_(True))
            .order_by(LinkedGroup.id)))
    stats = VillageStats(village.name if village else "?", subscribers=len(subscribed),
                         group_chats=groups)
    by_topic: dict[str, list[bool]] = defaultdict(list)
    by_week: dict[date, list[bool]] = defaultdict(list)
    people = set()
    start = now - timedelta(weeks=weeks)
    for answer, topic in rows:
        people.add(answer.telegram_id)
        stats.answers += 1
        stats.correct += answer.correct
        by_topic[topic].append(answer.correct)
        moment = answer.answered_at if answer.answered_at.tzinfo else \
            answer.answered_at.replace(tzinfo=now.tzinfo)
        if moment >= start:
            day = moment.date()
            by_week[day - timedelta(days=day.weekday())].append(answer.correct)
    stats.participants = len(people)
    stats.subscribed_participants = len(people & subscribed)
    stats.topics = {t: (sum(v) / len(v), len(v)) for t, v in by_topic.items()}
    stats.weakest = sorted(((t, sum(v) / len(v)) for t, v in by_topic.items()),
                           key=lambda item: item[1])[:3]
    stats.weekly = [(w, sum(v) / len(v), len(v)) for w, v in sorted(by_week.items())]
    return stats


def ranking(db: Database, village_ids: list[int]) -> list[tuple[str, float, int]]:
    """The villages of an office ranked by average score: (name, score, participants)."""
    table = [village_stats(db, v) for v in village_ids]
    return sorted(((s.name, s.score, s.participants) for s in table),
                  key=lambda item: (-item[1], -item[2]))
