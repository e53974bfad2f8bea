"""Indonesia's villages (every desa and kelurahan), from the `areaid` package (MIT licence).

The office adds villages to its programme from here instead of typing a CSV, and a villager
whose village is not in any programme yet is told so honestly instead of "not found". The data
is read from the installed package on first use (about a second, ~60 MB) and kept for the life
of the process; nothing is copied into the database until an office adds a village.

Codes are areaid's own village ids, prefixed: "AID.24819" is Kelong, Kec. Bintan Pesisir,
Kabupaten Bintan. They are not Kemendagri codes (areaid has none), so an office's own CSV
with Kemendagri codes keeps working beside them, and the prefix keeps the two from colliding.

The two functions the dashboard and the CLI call, with stable signatures:

- `search(db, query, limit=10) -> list[GazetteerEntry]`, best first;
- `add_to_programme(db, code, office_code=None) -> VillageChoice`, raising `GazetteerError`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.name_index import NameIndex, normalize
from bot.core.storage.models import Office, Village
from bot.core.storage.session import Database
from bot.domain.programme.choices import VillageChoice
from bot.domain.programme.coverage import covering_office_id, regency_key

CODE_PREFIX = "AID."
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
ZONE_NAMES = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}
# Keppres 41/1987 divides the provinces among the three zones.
PROVINCE_ZONES = {
    **dict.fromkeys((
        "Aceh", "Sumatra Utara", "Sumatra Barat", "Riau", "Jambi", "Sumatra Selatan",
        "Bengkulu", "Lampung", "Kepulauan Bangka Belitung", "Kepulauan Riau",
        "Daerah Khusus Ibukota Jakarta", "Jawa Barat", "Jawa Tengah",
        "Daerah Istimewa Yogyakarta", "Jawa Timur", "Banten", "Kalimantan Barat",
        "Kalimantan Tengah"), WIB),
    **dict.fromkeys((
        "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Selatan",
        "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara", "Sulawesi Tengah",
        "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Sulawesi Barat"), WITA),
    **dict.fromkeys((
        "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah",
        "Papua Pegunungan", "Papua Barat Daya"), WIT),
}
_ZONE_BY_KEY = {normalize(p): z for p, z in PROVINCE_ZONES.items()}


class GazetteerError(ValueError):
    """A village cannot be added; `reason` is "unknown_code", "unknown_office" or "duplicate"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One desa/kelurahan. `timezone` is an IANA name; `zone` says WIB, WITA or WIT.

    `programme_office` is the code of the office whose programme already has this village,
    "" when it is in the programme without an office, None when nobody has added it yet;
    it is filled by `search`, not by `entry`.
    """

    code: str
    village: str
    district: str
    regency: str
    province: str
    postal_code: str
    timezone: str
    programme_office: str | None = None

    @property
    def zone(self) -> str:
        """WIB, WITA or WIT."""
        return ZONE_NAMES[self.timezone]

    @property
    def label(self) -> str:
        """"Kelong (Bintan Pesisir, Kabupaten Bintan)", as villagers tell villages apart."""
        return f"{self.village} ({self.district}, {self.regency})"


def zone_of_province(province: str) -> str:
    """The IANA time zone of a province; ValueError for a name that is not a province."""
    zone = _ZONE_BY_KEY.get(normalize(province))
    if zone is None:
        raise ValueError(f"unknown province {province!r}")
    return zone


class _Gazetteer:
    """The entries in code order and their name index."""

    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.entries = entries
        self.by_code = {e.code: i for i, e in enumerate(entries)}
        self.index = NameIndex((e.village for e in entries),
                               (f"{e.district} {e.regency} {e.province}" for e in entries))


_LOCK = threading.Lock()


@cache
def _load_unlocked() -> _Gazetteer:
    entries = []
    for path in sorted(resources.files("areaid").joinpath("data").iterdir(),
                       key=lambda p: p.name):
        if not path.name.endswith(".json"):
            continue
        for province in json.loads(path.read_text(encoding="utf-8")):
            zone = zone_of_province(province["provinsi"])
            for regency in province["kabupaten"]:
                for district in regency["kecamatan"]:
                    for village in district["kelurahan"]:
                        entries.append(GazetteerEntry(
                            f"{CODE_PREFIX}{village['id']}", village["kelu"].strip(),
                            district["kec"].strip(), regency["kab_kota"].strip(),
                            province["provinsi"].strip(), str(village.get("pos") or ""), zone))
    entries.sort(key=lambda e: int(e.code.removeprefix(CODE_PREFIX)))
    return _Gazetteer(entries)


def _gazetteer() -> _Gazetteer:
    with _LOCK:  # two threads asking at start-up build it once
        return _load_unlocked()


def count() -> int:
    """How many villages the gazetteer has."""
    return len(_gazetteer().entries)


def entry(code: str) -> GazetteerEntry | None:
    """The entry with this code, or None."""
    data = _gazetteer()
    position = data.by_code.get(code.strip().upper())
    return data.entries[position] if position is not None else None


def search(db: Database, query: str, limit: int = 10) -> list[GazetteerEntry]:
    """Villages named like `query`, best first; typos and context allowed.

    "desa kelong bintan", "kelong, bintan pesisir" and "klong bintan" all find Kelong in
    Bintan Pesisir, Kabupaten Bintan. Each entry says which office's programme has it already.
    """
    return [e for e, _ in scored_search(db, query, limit)]


def scored_search(db: Database, query: str, limit: int = 10
                  ) -> list[tuple[GazetteerEntry, float]]:
    """`search` with each entry's score (0-100), for comparing with the programme's matches."""
    data = _gazetteer()
    hits = data.index.search(query[:200], limit)
    if not hits:
        return []
    found = [data.entries[hit.position] for hit in hits]
    offices = _programme_offices(db, found)
    return [(GazetteerEntry(e.code, e.village, e.district, e.regency, e.province,
                            e.postal_code, e.timezone, offices.get(e.code)), hit.score)
            for e, hit in zip(found, hits, strict=True)]


def covering_office_name(db: Database, regency: str) -> str | None:
    """The name of the office covering a regency, to tell a villager where tips go."""
    with db.session() as session:
        office_id = covering_office_id(session, regency)
        return session.get(Office, office_id).name if office_id is not None else None


def add_to_programme(db: Database, code: str, office_code: str | None = None) -> VillageChoice:
    """Add a gazetteer village to an office's programme (a `Village` row) and return it.

    Without `office_code` the office covering the village's regency takes it (none: tips go to
    the default office until one covers it). Refuses a village already in a programme, by code
    or by the same name, district and regency (an office's own CSV may have it).
    """
    found = entry(code)
    if found is None:
        raise GazetteerError("unknown_code", f"no village with code {code!r} in the gazetteer")
    with db.session() as session:
        office_id = None
        if office_code:
            office_id = session.scalar(select(Office.id).where(Office.code == office_code))
            if office_id is None:
                raise GazetteerError("unknown_office", f"no office with code {office_code!r}")
        existing = _programme_offices_in(session, [found])
        if found.code in existing:
            raise GazetteerError("duplicate", f"{found.label} is already in the programme "
                                 f"(office {existing[found.code] or '-'})")
        village = Village(code=found.code, name=found.village, district=found.district,
                          regency=found.regency, province=found.province,
                          timezone=found.timezone, postal_code=found.postal_code,
                          office_id=office_id or covering_office_id(session, found.regency))
        session.add(village)
        session.flush()
        return VillageChoice(village.id, village.name, village.district, village.regency,
                             village.office_id)


def _programme_offices(db: Database, entries: list[GazetteerEntry]) -> dict[str, str | None]:
    with db.session() as session:
        return _programme_offices_in(session, entries)


def _same_place(name: str, district: str, regency: str) -> tuple[str, str, str]:
    """What makes two rows one village: name, district and regency, however written."""
    words = regency_key(regency).split()
    if words and words[0] in {"kabupaten", "kota"}:
        words = words[1:]
    return normalize(name), normalize(district), " ".join(words)


def _programme_offices_in(session: Session, entries: list[GazetteerEntry]
                          ) -> dict[str, str | None]:
    """Entry code → office code ("" for none) of the programme village that is this entry."""
    rows = session.execute(
        select(Village.code, Village.name, Village.district, Village.regency, Office.code)
        .outerjoin(Office, Office.id == Village.office_id)
        .where(Village.code.in_([e.code for e in entries])
               | Village.name.in_(sorted({e.village for e in entries})))).all()
    by_code = {r[0]: r[4] or "" for r in rows}
    by_place = {_same_place(r[1], r[2], r[3]): r[4] or "" for r in rows}
    result: dict[str, str | None] = {}
    for e in entries:
        if e.code in by_code:
            result[e.code] = by_code[e.code]
        elif (place := _same_place(e.village, e.district, e.regency)) in by_place:
            result[e.code] = by_place[place]
    return result
