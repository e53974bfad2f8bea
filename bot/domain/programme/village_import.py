"""`desabot villages import`: the official village list with time zones and offices.

Re-importing updates villages by their region code, so subscriptions, groups and campaigns
that point at a village survive a corrected spelling or a new office assignment. A row without
an office gets the office covering its regency (`desabot offices add ... --covers`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from bot.core.storage.models import Office, Village
from bot.core.storage.session import Database
from bot.core.storage.versions import bump
from bot.domain.programme.coverage import assign_uncovered

COLUMNS = ("code", "village", "district", "regency", "province", "timezone", "office")
BATCH = 1000  # rows per INSERT/UPDATE: constant memory, few round trips
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
    """Insert or update every row, in one transaction, reading the file as it goes.

    Rows are written in batches, so memory stays the same for 1,000 or 1,000,000 villages;
    the codes already seen are kept in a temporary table, not in memory, and a code that
    appears twice refuses the whole file (naming both lines) instead of silently keeping the
    second row.
    """
    added = updated = 0
    with path.open(encoding="utf-8-sig", newline="") as fh, db.session() as session:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise VillageImportError(f"{path}: missing column(s) {', '.join(missing)}")
        offices = {o.code: o.id for o in session.scalars(select(Office))}
        seen = _SeenCodes(session, path)
        batch: list[tuple[int, dict]] = []
        for number, row in enumerate(reader, start=2):
            batch.append((number, _values(row, offices, path, number)))
            if len(batch) == BATCH:
                counts = _write(session, seen, batch)
                added, updated, batch = added + counts[0], updated + counts[1], []
        counts = _write(session, seen, batch)
        added, updated = added + counts[0], updated + counts[1]
        seen.drop()
        assign_uncovered(session)
        bump(session, "villages")
    return VillageReport(added, updated)


class _SeenCodes:
    """The codes of this import and their line numbers, in a temporary table."""

    def __init__(self, session: Session, path: Path) -> None:
        self.session, self.path = session, path
        # SQLite keeps a temporary table of a failed import (its DDL is not rolled back with
        # the rows): reuse and empty it.
        session.execute(text("CREATE TEMPORARY TABLE IF NOT EXISTS import_codes "
                             "(code VARCHAR(20) PRIMARY KEY, line INTEGER NOT NULL)"))
        session.execute(text("DELETE FROM import_codes"))

    def add(self, batch: list[tuple[int, dict]]) -> None:
        """Remember the batch's codes; VillageImportError if one was seen before."""
        first: dict[str, int] = {}
        for number, values in batch:
            if values["code"] in first:
                self._twice(values["code"], first[values["code"]], number)
            first[values["code"]] = number
        earlier = self.session.execute(text("SELECT code, line FROM import_codes WHERE code IN "
                                            ":codes").bindparams(bindparam("codes",
                                                                           expanding=True)),
                                       {"codes": list(first)}).first()
        if earlier is not None:
            self._twice(earlier.code, earlier.line, first[earlier.code])
        self.session.execute(text("INSERT INTO import_codes (code, line) VALUES (:c, :n)"),
                             [{"c": c, "n": n} for c, n in first.items()])

    def _twice(self, code: str, line: int, again: int) -> None:
        raise VillageImportError(f"{self.path}:{again}: code {code} appears twice (first "
                                 f"on line {line}); nothing was imported")

    def drop(self) -> None:
        """Remove the temporary table (it would last as long as the connection)."""
        self.session.execute(text("DROP TABLE import_codes"))


def _write(session: Session, seen: _SeenCodes, batch: list[tuple[int, dict]]
           ) -> tuple[int, int]:
    """Insert the new villages of a batch and update the known ones: (added, updated)."""
    if not batch:
        return 0, 0
    seen.add(batch)
    rows = [values for _, values in batch]
    known = dict(session.execute(select(Village.code, Village.id)
                                 .where(Village.code.in_([r["code"] for r in rows]))).all())
    new = [r for r in rows if r["code"] not in known]
    old = [{**r, "id": known[r["code"]]} for r in rows if r["code"] in known]
    if new:
        session.execute(insert(Village), new)
    if old:
        session.execute(update(Village), old)
    return len(new), len(old)


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
            "office_id": offices.get(office),
            "postal_code": (row.get("postal_code") or "").strip()[:10]}
