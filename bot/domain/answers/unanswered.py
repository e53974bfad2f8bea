"""Questions the bot could not answer, kept (normalised, anonymous) to improve the content."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.core.storage.models import UnansweredQuestion, utcnow
from bot.core.storage.session import Database
from nlu.normalize import normalize

MAX_STORED = 500


def remember_unanswered(db: Database, text: str, parsed: dict[str, Any]) -> None:
    """Count one more asking of this question; no user identity is stored."""
    key = normalize(text)[:MAX_STORED]
    if not key:
        return
    ranking = parsed.get("intent_ranking") or []
    best = next((r["name"] for r in ranking if r["name"] != "out_of_scope"), None)
    for _attempt in range(2):  # two villagers asking the same at once: the second counts up
        try:
            with db.session() as session:
                counted = session.execute(
                    update(UnansweredQuestion).where(UnansweredQuestion.text == key)
                    .values(count=UnansweredQuestion.count + 1, last_asked=utcnow())).rowcount
                if not counted:
                    session.add(UnansweredQuestion(text=key, best_intent=best))
            return
        except IntegrityError:
            continue


def most_frequent(db: Database, limit: int = 20) -> list[tuple[str, int, str | None]]:
    """The most asked unanswered questions, for `desabot content unanswered`."""
    with db.session() as session:
        rows = session.scalars(
            select(UnansweredQuestion)
            .order_by(UnansweredQuestion.count.desc(), UnansweredQuestion.last_asked.desc())
            .limit(limit)
        )
        return [(r.text, r.count, r.best_intent) for r in rows]
