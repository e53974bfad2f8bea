"""Villages: the official list, fuzzy search by name, and a person's remembered village."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import func, select

from bot.core.storage.models import Person, Village
from bot.core.storage.session import Database

SEARCH_SCORE = 80


@dataclass(frozen=True)
class VillageChoice:
    """A village as offered to a villager: name with district and regency to tell apart."""

    id: int
    name: str
    district: str
    regency: str
    office_id: int | None

    @property
    def label(self) -> str:
        """"Sukamaju (Kec. Bintan Timur, Kab. Bintan)"-style button text, trimmed."""
        return f"{self.name} ({self.district}, {self.regency})"[:60]


def search(db: Database, text: str, limit: int = 5) -> list[VillageChoice]:
    """Villages whose name is like `text` (typos allowed), best first."""
    wanted = " ".join(text.lower().replace("desa ", " ").replace("kelurahan ", " ").split())
    if not wanted:
        return []
    with db.session() as session:
        rows = session.execute(select(Village.id, Village.name, Village.district,
                                      Village.regency, Village.office_id)).all()
    choices = {r.id: r.name.lower() for r in rows}
    found = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=limit * 3,
                            score_cutoff=SEARCH_SCORE)
    by_id = {r.id: r for r in rows}
    best = sorted(found, key=lambda f: (-f[1], by_id[f[2]].name))[:limit]
    return [VillageChoice(r.id, r.name, r.district, r.regency, r.office_id)
            for r in (by_id[f[2]] for f in best)]


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
