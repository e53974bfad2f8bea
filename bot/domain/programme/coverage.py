"""Which office covers which kabupaten/kota, so a village's tips go to the right office.

Regencies are written many ways ("KAB. BINTAN", "Kabupaten Bintan", "Kota Batam", or just
"Bintan" in an office's own CSV); they are stored in one normal form, keeping "kabupaten" and
"kota" apart because Kabupaten Bogor and Kota Bogor are different places with different offices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.name_index import normalize
from bot.core.storage.models import Office, OfficeRegion, Village
from bot.core.storage.session import Database
from bot.core.storage.versions import bump

KINDS = {"kab": "kabupaten", "kabupaten": "kabupaten", "kota": "kota", "kotamadya": "kota",
         "kot": "kota"}


class CoverageError(ValueError):
    """A regency cannot be covered as asked (unknown office, empty name, ...)."""


def regency_key(name: str) -> str:
    """The normal form: "KAB. BINTAN" → "kabupaten bintan", "Kota Batam" → "kota batam"."""
    words = normalize(re.sub(r"\(.*?\)", " ", name)).split()
    if words and words[0] in KINDS:
        words[0] = KINDS[words[0]]
    return " ".join(words)


def cover(db: Database, office_code: str, regencies: Sequence[str]) -> list[str]:
    """Make the office cover these regencies; villages there without an office become its.

    Returns the regencies taken over from another office (routing changes for them).
    """
    keys = [regency_key(r) for r in regencies]
    if not all(keys):
        raise CoverageError("a regency name is empty")
    moved = []
    with db.session() as session:
        office = session.scalar(select(Office).where(Office.code == office_code))
        if office is None:
            raise CoverageError(f"no office with code {office_code!r}")
        for key in keys:
            row = session.scalar(select(OfficeRegion).where(OfficeRegion.regency == key))
            if row is None:
                session.add(OfficeRegion(office_id=office.id, regency=key))
            elif row.office_id != office.id:
                moved.append(key)
                row.office_id = office.id
        session.flush()
        assign_uncovered(session)
    return moved


def covering_office_id(session: Session, regency: str) -> int | None:
    """The office covering `regency`; a bare name ("Bintan") matches only if unambiguous."""
    key = regency_key(regency)
    if not key:
        return None
    found = session.scalar(select(OfficeRegion.office_id).where(OfficeRegion.regency == key))
    if found is not None or key.split()[0] in KINDS.values():
        return found
    offices = set(session.scalars(select(OfficeRegion.office_id).where(
        OfficeRegion.regency.in_([f"kabupaten {key}", f"kota {key}"]))))
    return offices.pop() if len(offices) == 1 else None


def covered_by(db: Database, office_code: str) -> list[str]:
    """The regencies an office covers, in their normal form, sorted."""
    with db.session() as session:
        return sorted(session.scalars(
            select(OfficeRegion.regency).join(Office, Office.id == OfficeRegion.office_id)
            .where(Office.code == office_code)))


def assign_uncovered(session: Session) -> int:
    """Give every village without an office its covering office; returns how many changed.

    Works per distinct regency (a few hundred in all Indonesia), not per village, so it costs
    the same after importing a thousand villages or a million.
    """
    regencies = list(session.scalars(select(Village.regency).distinct()
                                     .where(Village.office_id.is_(None))))
    changed = 0
    for regency in regencies:
        office_id = covering_office_id(session, regency)
        if office_id is not None:
            changed += session.execute(
                update(Village).where(Village.office_id.is_(None), Village.regency == regency)
                .values(office_id=office_id)).rowcount or 0
    if changed:
        bump(session, "villages")
    return changed
