"""The register of licensed placement companies (P3MI), imported by officers from a CSV.

Villagers type company names loosely ("pt maju jaya", "Maju Jaya Abadi"), so names are
matched with rapidfuzz; a near miss is offered as "did you mean", never as a confirmation.
The CSV format is documented in docs/agencies.md.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import delete, select

from bot.core.storage.models import Agency, AgencyImport
from bot.core.storage.session import Database

COLUMNS = ("name", "licence_number", "valid_until", "province", "address", "status")
STATUSES = {"aktif": "active", "active": "active", "dicabut": "revoked", "revoked": "revoked",
            "dibekukan": "suspended", "suspended": "suspended"}
MATCH_SCORE = 90
NEAR_SCORE = 85  # WRatio: partial names like "Contoh Sejahtra" are suggested
LEGAL_FORMS = re.compile(r"\b(pt|p\.t|cv|tbk|persero|perseroan terbatas)\b\.?")


class RegisterError(ValueError):
    """The CSV cannot be imported; the message names the row and the problem."""


@dataclass(frozen=True)
class ImportReport:
    """What an import changed."""

    total: int
    added: list[str]
    removed: list[str]
    changed: list[str]


@dataclass(frozen=True)
class Lookup:
    """The register's verdict on a name."""

    verdict: str  # "licensed", "expired", "revoked", "suspended", "unknown", "no_register"
    name: str | None = None
    licence_number: str | None = None
    valid_until: date | None = None
    suggestion: str | None = None
    imported_at: datetime | None = None


def match_name(name: str) -> str:
    """A comparable form: lower case, without "PT"/"CV" and punctuation."""
    name = LEGAL_FORMS.sub(" ", name.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", name).split())


def read_csv(path: Path) -> list[dict[str, object]]:
    """Read and check every row; raises RegisterError naming the first bad row."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise RegisterError(f"{path}: missing column(s) {', '.join(missing)}; "
                                f"expected {', '.join(COLUMNS)}")
        return [_row(raw, path, number) for number, raw in enumerate(reader, start=2)]


def _row(raw: dict[str, str], path: Path, number: int) -> dict[str, object]:
    name, licence = (raw["name"] or "").strip(), (raw["licence_number"] or "").strip()
    if not name or not licence:
        raise RegisterError(f"{path}:{number}: name and licence_number are required")
    status = STATUSES.get((raw["status"] or "").strip().lower())
    if status is None:
        raise RegisterError(f"{path}:{number}: status must be aktif, dicabut or dibekukan")
    valid = (raw["valid_until"] or "").strip()
    try:
        until = date.fromisoformat(valid) if valid else None
    except ValueError:
        raise RegisterError(f"{path}:{number}: valid_until must be YYYY-MM-DD") from None
    return {"name": name, "match_name": match_name(name), "licence_number": licence,
            "valid_until": until, "province": (raw["province"] or "").strip(),
            "address": (raw["address"] or "").strip(), "status": status}


def import_register(db: Database, path: Path) -> ImportReport:
    """Replace the register with the CSV's rows, in one transaction, and report changes."""
    rows = read_csv(path)
    licences = [r["licence_number"] for r in rows]
    if len(set(licences)) != len(licences):
        raise RegisterError(f"{path}: a licence_number appears twice")
    with db.session() as session:
        old = {a.licence_number: a for a in session.scalars(select(Agency))}
        new = {str(r["licence_number"]): r for r in rows}
        added = sorted(str(new[k]["name"]) for k in new.keys() - old.keys())
        removed = sorted(old[k].name for k in old.keys() - new.keys())
        changed = sorted(str(new[k]["name"]) for k in new.keys() & old.keys()
                         if any(getattr(old[k], c) != new[k][c] for c in new[k]))
        session.execute(delete(Agency))
        session.add_all(Agency(**r) for r in rows)
        session.add(AgencyImport(source=path.name[:300], total=len(rows), added=len(added),
                                 removed=len(removed), changed=len(changed)))
    return ImportReport(len(rows), added, removed, changed)


def lookup(db: Database, name: str, today: date) -> Lookup:
    """Find `name` in the register and say whether that company may recruit today."""
    wanted = match_name(name)
    with db.session() as session:
        last = session.scalar(select(AgencyImport).order_by(AgencyImport.id.desc()).limit(1))
        if last is None:
            return Lookup("no_register")
        agencies = list(session.scalars(select(Agency)))
    if not wanted or not agencies:
        return Lookup("unknown", imported_at=last.imported_at)
    choices = {a.id: a.match_name for a in agencies}
    best = process.extractOne(wanted, choices, scorer=fuzz.token_sort_ratio)
    by_id = {a.id: a for a in agencies}
    if best is None or best[1] < MATCH_SCORE:
        near = process.extractOne(wanted, choices, scorer=fuzz.WRatio)
        suggestion = by_id[near[2]].name if near and near[1] >= NEAR_SCORE else None
        return Lookup("unknown", suggestion=suggestion, imported_at=last.imported_at)
    agency = by_id[best[2]]
    return Lookup(_verdict(agency, today), agency.name, agency.licence_number,
                  agency.valid_until, imported_at=last.imported_at)


def _verdict(agency: Agency, today: date) -> str:
    if agency.status != "active":
        return agency.status
    if agency.valid_until is not None and agency.valid_until < today:
        return "expired"
    return "licensed"
