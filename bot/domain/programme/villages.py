"""Villages: the programme's list, search by name with typos, a person's remembered village.

`find` is what a villager's /desa runs: the programme's villages first, and the national
gazetteer for a village that no office has added yet, so the answer is honest ("your village
is not in the programme yet") instead of "not found".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.name_index import NameIndex
from bot.core.storage.models import Person, Village
from bot.core.storage.session import Database
from bot.core.storage.table_index import TableIndex
from bot.domain.programme import gazetteer
from bot.domain.programme.choices import VillageChoice

__all__ = ["VillageChoice", "VillageSearch", "count", "find", "remember", "remembered",
           "search"]
OUTSIDE_MARGIN = 5.0  # a gazetteer village must score this much better to be mentioned


@dataclass(frozen=True)
class VillageSearch:
    """What /desa found: programme villages to join, and villages not in any programme yet.

    `outside` has the best gazetteer villages (up to three, close in score) that match better
    than every programme village, and `outside_office` the office covering them when they
    are all in one regency.
    """

    choices: list[VillageChoice]
    outside: list[gazetteer.GazetteerEntry] = field(default_factory=list)
    outside_office: str | None = None


def _rows(session: Session) -> list[VillageChoice]:
    """Every village, in code order as Python sorts it.

    PostgreSQL's collation may sort codes differently from SQLite, and equal scores are
    broken by this order, so the order is not left to the database.
    """
    rows = sorted(session.execute(select(Village.code, Village.id, Village.name,
                                         Village.district, Village.regency, Village.province,
                                         Village.office_id)))
    return [VillageChoice(r.id, r.name, r.district, r.regency, r.office_id, r.province)
            for r in rows]


def _build(rows: list[VillageChoice]) -> tuple[NameIndex, list[VillageChoice]]:
    names = NameIndex((r.name for r in rows),
                      (f"{r.district} {r.regency} {r.province}" for r in rows))
    return names, rows


_INDEX = TableIndex("villages", _rows, _build)


def search(db: Database, text: str, limit: int = 5) -> list[VillageChoice]:
    """Programme villages whose name is like `text` (typos, district or regency allowed).

    Reads one version counter, not the table: the name index is rebuilt only after a change.
    """
    return [choice for choice, _ in _scored(db, text, limit)]


def find(db: Database, text: str, limit: int = 5) -> VillageSearch:
    """Programme villages like `text`, and better-matching villages outside the programme."""
    scored = _scored(db, text, limit)
    best = scored[0][1] if scored else 0.0
    if best + OUTSIDE_MARGIN >= 100:  # nothing outside can match better: skip loading it
        return VillageSearch([c for c, _ in scored])
    outside = [(e, score) for e, score in gazetteer.scored_search(db, text, 3)
               if e.programme_office is None and score > best + OUTSIDE_MARGIN]
    outside = [e for e, score in outside if score >= outside[0][1] - OUTSIDE_MARGIN]
    same_regency = len({e.regency for e in outside}) == 1
    office = gazetteer.covering_office_name(db, outside[0].regency) if same_regency else None
    return VillageSearch([c for c, _ in scored], outside, office)


def _scored(db: Database, text: str, limit: int) -> list[tuple[VillageChoice, float]]:
    names, rows = _INDEX.get(db)
    return [(rows[hit.position], hit.score) for hit in names.search(text[:200], limit)]


def count(db: Database) -> int:
    """How many villages are loaded."""
    with db.session() as session:
        return session.scalar(select(func.count(Village.id))) or 0


def remembered(db: Database, telegram_id: int) -> VillageChoice | None:
    """The village a person chose before, if any."""
    with db.session() as session:
        person = session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None or person.village_id is None:
            return None
        v = session.get(Village, person.village_id)
        return VillageChoice(v.id, v.name, v.district, v.regency, v.office_id)


def remember(db: Database, telegram_id: int, village_id: int) -> None:
    """Keep the person's village so nobody has to type it twice."""
    with db.session() as session:
        person = session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None:
            person = Person(telegram_id=telegram_id)
            session.add(person)
        person.village_id = village_id
