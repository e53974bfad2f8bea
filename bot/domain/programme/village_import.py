"""`desabot villages import`: the official village list with time zones and offices.

Re-importing updates villages by their region code, so subscriptions, groups and campaigns
that point at a village survive a corrected spelling or a new office assignment.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from bot.core.storage.models import Office, Village
from bot.core.storage.session import Database

COLUMNS = ("code", "village", "district", "regency", "province", "timezone", "office")
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
# The columns' sizes: PostgreSQL refuses a longer value (SQLite would keep it).
FIELD_SIZES = {"code": Village.code.type.length, "village": Village.name.type.length,
               "district": Village.district.type.length,
               "regency": Village.regency.type.length, "province": Village.province.type.length}


class VillageImportError(ValueError):
    """The file cannot be imported; the message names the row."""


@dataclass(frozen=True)
class VillageReport:
    """What an import did."""

    added: int
    updated: int


def zone_of(value: str) -> str:
    """WIB/WITA/WIT or an IANA name → an IANA name."""
    zone = ZONES.get(value.strip().upper(), value.strip())
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use WIB, WITA or WIT)") from None
    return zone


def import_villages(db: Database, path: Path) -> VillageReport:
    """Insert or update every row, in one transaction."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise VillageImportError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = list(enumerate(reader, start=2))
    added = updated = 0
    with db.session() as session:
        offices = {o.code: o.id for o in session.scalars(select(Office))}
        existing = {v.code: v for v in session.scalars(select(Village))}
        first_line: dict[str, int] = {}
        for number, row in rows:
            values = _values(row, offices, path, number)
            if values["code"] in first_line:  # the second row would silently win
                raise VillageImportError(f"{path}:{number}: code {values['code']} appears "
                                         f"twice (first on line {first_line[values['code']]})")
            first_line[values["code"]] = number
            village = existing.get(values["code"])
            if village is None:
                village = Village(**values)
                session.add(village)
                existing[values["code"]] = village
                added += 1
            else:
                for key, value in values.items():
                    setattr(village, key, value)
                updated += 1
    return VillageReport(added, updated)


def _values(row: dict[str, str], offices: dict[str, int], path: Path, number: int) -> dict:
    code, name = (row["code"] or "").strip(), (row["village"] or "").strip()
    if not code or not name:
        raise VillageImportError(f"{path}:{number}: code and village are required")
    office = (row["office"] or "").strip()
    if office and office not in offices:
        raise VillageImportError(f"{path}:{number}: unknown office {office!r}; add it first "
                                 "with desabot offices add")
    try:
        zone = zone_of(row["timezone"] or "WIB")
    except ValueError as exc:
        raise VillageImportError(f"{path}:{number}: {exc}") from None
    for column, value in (("code", code), ("village", name), ("district", row["district"]),
                          ("regency", row["regency"]), ("province", row["province"])):
        size = FIELD_SIZES[column]
        if len((value or "").strip()) > size:
            raise VillageImportError(f"{path}:{number}: {column} is longer than {size} "
                                     "characters")
    return {"code": code, "name": name, "district": (row["district"] or "").strip(),
            "regency": (row["regency"] or "").strip(),
            "province": (row["province"] or "").strip(), "timezone": zone,
            "office_id": offices.get(office)}
