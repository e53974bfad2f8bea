"""A national campaign: one lesson or quiz to every village of every bot, at once.

It is stored as one broadcast per village (each with its own progress and its village's
bot, `bot/domain/messaging/bots.py`), so every regional bot sends its own villages'
messages within its own token's budget, all bots at the same time, and a village's
official sees the same counts as for a lesson they sent themselves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select, update

from bot.core.storage.models import Delivery, LinkedGroup, Office, Subscription, Village
from bot.core.storage.session import Database
from bot.domain.programme import broadcasts
from bot.domain.programme.library import Library


class NationalError(ValueError):
    """The campaign cannot be sent as asked; the message says why, for the operator."""


@dataclass(frozen=True)
class NationalCampaign:
    """What was stored: broadcasts, recipient chats, and chats per bot (None: default)."""

    broadcasts: list[int]
    recipients: int
    per_bot: dict[str | None, int]


def content_for(library: Library, lesson: str | None, question: str | None) -> tuple[str, dict]:
    """The broadcast kind and content of a lesson id or a quiz question id (checked)."""
    if (lesson is None) == (question is None):
        raise NationalError("give either a lesson or a quiz question")
    if lesson is not None:
        if lesson not in library.lessons:
            raise NationalError(f"no lesson {lesson!r} in content/id/lessons")
        return "lesson", {"lesson": lesson}
    if question not in library.questions:
        raise NationalError(f"no quiz question {question!r} in content/id/quizzes")
    return "quiz", {"question": question}


def villages_with_recipients(db: Database) -> list[int]:
    """Villages that have an active subscriber or linked group, in id order."""
    with db.session() as session:
        people = select(Subscription.village_id).where(Subscription.active.is_(True))
        groups = select(LinkedGroup.village_id).where(LinkedGroup.active.is_(True))
        return sorted(set(session.scalars(people.union(groups))))


def send_national(db: Database, kind: str, content: dict,
                  created_by: int | None = None) -> NationalCampaign:
    """Store the campaign's broadcasts; the bots' senders start on them within a second."""
    ids = [broadcasts.create(db, village, kind, content, created_by)
           for village in villages_with_recipients(db)]
    per_bot: Counter[str | None] = Counter()
    with db.session() as session:
        rows = session.execute(select(Delivery.bot_key, func.count()).where(
            Delivery.broadcast_id.in_(ids)).group_by(Delivery.bot_key)) if ids else []
        for key, count in rows:
            per_bot[key] += count
    return NationalCampaign(ids, sum(per_bot.values()), dict(per_bot))


def assign_office_bot(db: Database, office_code: str, key: str | None) -> int:
    """The office (and its villages without a bot of their own) now use bot `key`.

    Returns the number of villages that follow. Deliveries already stored keep the bot
    they were stored with: a broadcast under way is not split between two bots.
    """
    with db.session() as session:
        changed = session.execute(update(Office).where(Office.code == office_code)
                                  .values(bot_key=key))
        if not changed.rowcount:
            raise NationalError(f"no office with code {office_code!r}")
        office_id = session.scalar(select(Office.id).where(Office.code == office_code))
        return session.scalar(select(func.count(Village.id)).where(
            Village.office_id == office_id, Village.bot_key.is_(None))) or 0


def villages_per_bot(db: Database) -> dict[str | None, int]:
    """How many villages each bot key serves (None: the default bot)."""
    key = func.coalesce(Village.bot_key, Office.bot_key)
    with db.session() as session:
        rows = session.execute(select(key, func.count(Village.id))
                               .outerjoin(Office, Office.id == Village.office_id).group_by(key))
        return {k: n for k, n in rows}
