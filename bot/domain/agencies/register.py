"""The register of licensed placement companies (P3MI), imported by officers from a CSV.

Villagers type company names loosely ("pt maju jaya", "Maju Jaya Abadi"), so names are
matched with rapidfuzz; a near miss is offered as "did you mean", never as a confirmation.
The CSV format is documented in docs/agencies.md.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session

from bot.core.name_index import NameIndex, normalize
from bot.core.storage.models import Agency, AgencyImport
from bot.core.storage.session import Database
from bot.core.storage.table_index import TableIndex
from bot.core.storage.versions import bump
from bot.domain.agencies.names import same_company

COLUMNS = ("name", "licence_number", "valid_until", "province", "address", "status")
STATUSES = {"aktif": "active", "active": "active", "dicabut": "revoked", "revoked": "revoked",
            "dibekukan": "suspended", "suspended": "suspended"}
MATCH_SCORE = 90
NEAR_SCORE = 85  # WRatio: partial names like "Contoh Sejahtra" are suggested
BATCH = 1000  # rows per INSERT into the staging table
REPORT_NAMES = 200  # names listed per kind of change; the counts are always whole
LEGAL_FORMS = re.compile(r"\b(pt|p\.t|cv|tbk|persero|perseroan terbatas)\b\.?")


class RegisterError(ValueError):
    """The CSV cannot be imported; the message names the row and the problem."""


@dataclass(frozen=True)
class ImportReport:
    """What an import changed: counts, and the first names of each kind (sorted)."""

    total: int
    added: list[str]
    removed: list[str]
    changed: list[str]
    added_count: int = 0
    removed_count: int = 0
    changed_count: int = 0


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


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """(line number, checked row), one at a time; RegisterError names the first bad row."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise RegisterError(f"{path}: missing column(s) {', '.join(missing)}; "
                                f"expected {', '.join(COLUMNS)}")
        for number, raw in enumerate(reader, start=2):
            yield number, _row(raw, path, number)


def read_csv(path: Path) -> list[dict[str, object]]:
    """Read and check every row (small files; the import streams with `read_rows`)."""
    return [row for _, row in read_rows(path)]


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


def _staging() -> Table:
    """The new register while it is read: a temporary table, so memory stays constant."""
    return Table("agency_staging", MetaData(),
                 Column("licence_number", String(100), primary_key=True),
                 Column("line", Integer, nullable=False),
                 *(Column(c.name, c.type) for c in Agency.__table__.columns
                   if c.name not in {"id", "licence_number"}),
                 prefixes=["TEMPORARY"])


def import_register(db: Database, path: Path) -> ImportReport:
    """Replace the register with the CSV's rows, in one transaction, and report changes.

    The file is read in batches into a temporary table and compared with the register in
    SQL, so a million rows take the memory of one batch. A licence number that appears twice
    refuses the file, naming both lines.
    """
    staging = _staging()
    with db.session() as session:
        conn = session.connection()
        staging.drop(conn, checkfirst=True)  # SQLite keeps one from a failed import
        staging.create(conn)
        total = 0
        for batch in _batches(read_rows(path)):
            _stage(session, staging, path, batch)
            total += len(batch)
        old, new = Agency.__table__.c, staging.c
        joined = staging.join(Agency.__table__, old.licence_number == new.licence_number)
        differs = or_(*(old[c].is_distinct_from(new[c]) for c in _COMPARED))
        added = _names(session, select(new.name).select_from(staging.outerjoin(
            Agency.__table__, old.licence_number == new.licence_number))
            .where(old.id.is_(None)))
        removed = _names(session, select(old.name).select_from(Agency.__table__.outerjoin(
            staging, old.licence_number == new.licence_number)).where(new.line.is_(None)))
        changed = _names(session, select(new.name).select_from(joined).where(differs))
        session.execute(delete(Agency))
        columns = [c.name for c in Agency.__table__.columns if c.name != "id"]
        session.execute(insert(Agency.__table__).from_select(
            columns, select(*(new[c] for c in columns))))
        staging.drop(conn)
        session.add(AgencyImport(source=path.name[:300], total=total, added=added[0],
                                 removed=removed[0], changed=changed[0]))
        bump(session, "agencies")
    return ImportReport(total, added[1], removed[1], changed[1], added[0], removed[0],
                        changed[0])


_COMPARED = ("name", "match_name", "valid_until", "province", "address", "status")


def _batches(rows: Iterator[tuple[int, dict[str, object]]]
             ) -> Iterator[list[tuple[int, dict[str, object]]]]:
    batch: list[tuple[int, dict[str, object]]] = []
    for item in rows:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _stage(session: Session, staging: Table, path: Path,
           batch: list[tuple[int, dict[str, object]]]) -> None:
    """Add a batch to the staging table; RegisterError for a licence number seen before."""
    first: dict[str, int] = {}
    for number, row in batch:
        licence = str(row["licence_number"])
        if licence in first:
            _twice(path, licence, first[licence], number)
        first[licence] = number
    earlier = session.execute(select(staging.c.licence_number, staging.c.line)
                              .where(staging.c.licence_number.in_(list(first)))).first()
    if earlier is not None:
        _twice(path, earlier.licence_number, earlier.line, first[earlier.licence_number])
    session.execute(insert(staging), [{**row, "line": number} for number, row in batch])


def _twice(path: Path, licence: str, line: int, again: int) -> None:
    raise RegisterError(f"{path}:{again}: licence_number {licence!r} appears twice (first on "
                        f"line {line}); nothing was imported")


def _names(session: Session, query: Select) -> tuple[int, list[str]]:
    """How many rows the query has, and the first REPORT_NAMES of its names, sorted."""
    counted = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    column = query.selected_columns[0]
    return counted, list(session.scalars(query.order_by(column).limit(REPORT_NAMES)))


def _index_rows(session: Session) -> tuple[np.ndarray, list[str]]:
    rows = session.execute(select(Agency.id, Agency.match_name).order_by(Agency.id)).all()
    return np.array([r.id for r in rows], dtype=np.int64), [r.match_name for r in rows]


def _build(rows: tuple[np.ndarray, list[str]]) -> tuple[np.ndarray, NameIndex]:
    ids, names = rows
    return ids, NameIndex(names, stopwords=frozenset())


_INDEX = TableIndex("agencies", _index_rows, _build)


def lookup(db: Database, name: str, today: date) -> Lookup:
    """Find `name` in the register and say whether that company may recruit today.

    The register's name index picks the few names that share a word with `name`; those are
    scored (token sort ratio for a match, WRatio for a suggestion), and a match must also be
    the same company word for word (`same_company`): "PT Uji Penempatan 5" is not the
    licensed "PT Uji Penempatan 500", only a "did you mean".
    """
    wanted = normalize(match_name(name[:300]))
    with db.session() as session:
        last = session.scalar(select(AgencyImport).order_by(AgencyImport.id.desc()).limit(1))
    if last is None:
        return Lookup("no_register")
    ids, index = _INDEX.get(db)
    positions = index.candidates(wanted) if wanted else []
    if len(positions) == 0:
        return Lookup("unknown", imported_at=last.imported_at)
    choices = {int(p): index.names[p] for p in positions}
    best = _match(wanted, choices)
    if best is None:
        near = process.extractOne(wanted, choices, scorer=fuzz.WRatio)
        suggestion = None
        if near and near[1] >= NEAR_SCORE:
            suggestion = _agency(db, int(ids[near[2]])).name
        return Lookup("unknown", suggestion=suggestion, imported_at=last.imported_at)
    agency = _agency(db, int(ids[best]))
    return Lookup(_verdict(agency, today), agency.name, agency.licence_number,
                  agency.valid_until, imported_at=last.imported_at)


def _match(wanted: str, choices: dict[int, str]) -> int | None:
    """The position of the best-scoring name that is the same company as `wanted`."""
    scored = process.extract(wanted, choices, scorer=fuzz.token_sort_ratio,
                             score_cutoff=MATCH_SCORE, limit=None)
    return next((key for name, _, key in scored if same_company(wanted, name)), None)


def _agency(db: Database, agency_id: int) -> Agency:
    with db.session() as session:
        agency = session.get(Agency, agency_id)
        session.expunge(agency)
        return agency


def _verdict(agency: Agency, today: date) -> str:
    if agency.status != "active":
        return agency.status
    if agency.valid_until is not None and agency.valid_until < today:
        return "expired"
    return "licensed"
