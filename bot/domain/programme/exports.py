"""`desabot stats export`: quiz results per village as CSV."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy import select

from bot.core.spreadsheet import SafeWriter
from bot.core.storage.models import Village
from bot.core.storage.session import Database
from bot.domain.programme.quiz_results import village_stats


def export_stats(db: Database, out: TextIO) -> int:
    """One row per village; returns how many."""
    writer = SafeWriter(out)
    writer.writerow(["code", "village", "subscribers", "participants", "answers",
                     "average_score", "weakest_topics"])
    with db.session() as session:
        villages = list(session.execute(select(Village.id, Village.code, Village.name)))
    for village_id, code, name in villages:
        stats = village_stats(db, village_id)
        writer.writerow([code, name, stats.subscribers, stats.participants, stats.answers,
                         f"{stats.score:.3f}", "; ".join(t for t, _ in stats.weakest)])
    return len(villages)
