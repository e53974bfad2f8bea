"""`villages import` streams its file: constant memory, duplicates refused, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.core.storage.models import Village
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.programme.coverage import cover
from bot.domain.programme.village_import import VillageImportError, import_villages
from tests.auxil.streaming import assert_flat, peak_bytes, write_csv

HEADER = "code,village,district,regency,province,timezone,office\n"


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    roles.add_office(database, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    yield database
    database.dispose()


def _generated(path: Path, rows: int) -> Path:
    return write_csv(path, HEADER, (
        f"99.{n // 10_000:02d}.{n % 10_000:04d},Desa Uji {n},Kecamatan {n % 97},"
        f"Kabupaten Uji {n % 13},Kepulauan Riau,WIB,\n" for n in range(rows)))


def _count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Village.id))) or 0


def test_memory_stays_the_same_for_ten_times_the_rows(db: Database, tmp_path: Path) -> None:
    small_file = _generated(tmp_path / "small.csv", 1_500)
    large_file = _generated(tmp_path / "large.csv", 15_000)
    small = peak_bytes(lambda: import_villages(db, small_file))
    large = peak_bytes(lambda: import_villages(db, large_file))
    assert _count(db) == 15_000
    assert_flat(small, large)


def test_a_code_twice_in_one_file_is_refused_and_nothing_is_imported(
        db: Database, tmp_path: Path) -> None:
    path = _generated(tmp_path / "dup.csv", 2_500)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("99.00.0007,Desa Lain,K,Kabupaten Uji 1,Kepulauan Riau,WIB,\n")
    with pytest.raises(VillageImportError, match=r"dup\.csv:2502: code 99\.00\.0007 appears "
                                                 r"twice \(first on line 9\)"):
        import_villages(db, path)
    assert _count(db) == 0
    import_villages(db, _generated(tmp_path / "ok.csv", 10))  # the temporary table is gone
    assert _count(db) == 10


def test_a_reimport_updates_and_villages_without_office_get_the_covering_one(
        db: Database, tmp_path: Path) -> None:
    cover(db, "tpi", ["Kabupaten Uji 3"])
    report = import_villages(db, _generated(tmp_path / "a.csv", 1_200))
    assert (report.added, report.updated) == (1_200, 0)
    report = import_villages(db, _generated(tmp_path / "b.csv", 1_300))
    assert (report.added, report.updated) == (100, 1_200)
    with db.session() as session:
        offices = {r.regency: r.office_id for r in session.execute(
            select(Village.regency, Village.office_id).distinct())}
    assert offices["Kabupaten Uji 3"] is not None and offices["Kabupaten Uji 4"] is None
