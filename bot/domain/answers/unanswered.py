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


def review_queue(db: Database, include_reviewed: bool = False,
                 limit: int = 300) -> dict[str, list[UnansweredQuestion]]:
    """Unanswered questions grouped by the NLU's best guess, most asked first (for review)."""
    with db.session() as session:
        query = select(UnansweredQuestion)
        if not include_reviewed:
            query = query.where(UnansweredQuestion.reviewed.is_(False))
        rows = list(session.scalars(query.order_by(UnansweredQuestion.count.desc(),
                                                   UnansweredQuestion.last_asked.desc())
                                    .limit(limit)))
        session.expunge_all()
    groups: dict[str, list[UnansweredQuestion]] = {}
    for row in rows:
        groups.setdefault(row.best_intent or "", []).append(row)
    return dict(sorted(groups.items(), key=lambda item: -sum(r.count for r in item[1])))


def mark_reviewed(db: Database, ids: list[int], reviewed: bool = True) -> int:
    """Mark questions as looked at, so the queue shows what is left; returns how many."""
    with db.session() as session:
        return session.execute(update(UnansweredQuestion)
                               .where(UnansweredQuestion.id.in_(ids[:500]))
                               .values(reviewed=reviewed)).rowcount or 0


def training_candidates(db: Database) -> str:
    """The unreviewed questions as Rasa NLU YAML under their guessed intent.

    They are candidates for a person to check and move into nlu/data, never training data
    as they stand: the guessed intent is often wrong, which is why the bot could not answer.
    """
    import yaml

    groups = review_queue(db, limit=2000)
    nlu = [{"intent": intent or "out_of_scope",
            "examples": "".join(f"- {row.text}\n" for row in rows)}
           for intent, rows in groups.items()]

    class Literal(str):
        """Examples as a YAML block, the way nlu/data writes them."""

    yaml.add_representer(Literal, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|"), Dumper=yaml.SafeDumper)
    for item in nlu:
        item["examples"] = Literal(item["examples"])
    header = ("# Candidate training examples from questions the bot could not answer.\n"
              "# Check every line and its intent before moving it into nlu/data/.\n")
    return header + yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True,
                                   sort_keys=False)
