"""The register at scale: the import streams (constant memory), duplicates are refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.storage.session import Database
from bot.domain.agencies.register import RegisterError, import_register, lookup
from tests.auxil.streaming import assert_flat, peak_bytes, write_csv

HEADER = "name,licence_number,valid_until,province,address,status\n"
TODAY = date(2026, 11, 29)


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    yield database
    database.dispose()


def _generated(path: Path, rows: int, start: int = 0) -> Path:
    return write_csv(path, HEADER, (
        f"PT Uji Penempatan {n} (FIKTIF),UJI/{n:07d},2030-12-31,Bali,Jl. {n},aktif\n"
        for n in range(start, start + rows)))


def test_memory_stays_the_same_for_ten_times_the_rows(db: Database, tmp_path: Path) -> None:
    small_file = _generated(tmp_path / "small.csv", 1_500)
    large_file = _generated(tmp_path / "large.csv", 15_000)
    small = peak_bytes(lambda: import_register(db, small_file))
    large = peak_bytes(lambda: import_register(db, large_file))
    assert_flat(small, large)
    assert lookup(db, "pt uji penempatan 14999 fiktif", TODAY).verdict == "licensed"


def test_a_reimport_reports_counts_and_the_lookup_sees_it(db: Database, tmp_path: Path) -> None:
    import_register(db, _generated(tmp_path / "a.csv", 1_200))
    assert lookup(db, "PT Uji Penempatan 5 (FIKTIF)", TODAY).verdict == "licensed"
    report = import_register(db, _generated(tmp_path / "b.csv", 1_200, start=300))
    assert (report.total, report.added_count, report.removed_count, report.changed_count) == (
        1_200, 300, 300, 0)
    assert len(report.removed) == 200 and report.removed == sorted(report.removed)
    assert lookup(db, "PT Uji Penempatan 5 (FIKTIF)", TODAY).name != "PT Uji Penempatan 5 (FIKTIF)"
    assert lookup(db, "PT Uji Penempatan 1450 (FIKTIF)", TODAY).name == (
        "PT Uji Penempatan 1450 (FIKTIF)")


def test_a_licence_twice_is_refused_and_the_register_is_kept(db: Database,
                                                            tmp_path: Path) -> None:
    import_register(db, _generated(tmp_path / "ok.csv", 10))
    path = _generated(tmp_path / "dup.csv", 1_500)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("PT Lain (FIKTIF),UJI/0000003,2030-12-31,Bali,Jl,aktif\n")
    with pytest.raises(RegisterError, match=r"dup\.csv:1502: licence_number 'UJI/0000003' "
                                            r"appears twice \(first on line 5\)"):
        import_register(db, path)
    assert lookup(db, "PT Uji Penempatan 9 (FIKTIF)", TODAY).verdict == "licensed"
