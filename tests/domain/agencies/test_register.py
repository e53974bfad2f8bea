"""The agency register: import, re-import, fuzzy lookup, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.storage.session import Database
from bot.domain.agencies.register import RegisterError, import_register, lookup
from tests.auxil.paths import FIXTURES

FIXTURE = FIXTURES / "agencies_fictional.csv"
TODAY = date(2026, 11, 29)


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    yield database
    database.dispose()


def test_without_an_import_the_bot_says_it_has_no_register(db: Database) -> None:
    assert lookup(db, "PT Apa Saja", TODAY).verdict == "no_register"


@pytest.mark.parametrize(("typed", "verdict"), [
    ("PT Contoh Sejahtera Mandiri (FIKTIF)", "licensed"),
    ("pt contoh sejahtera mandiri fiktif", "licensed"),
    ("Contoh Sejahtera Mandiri FIKTIF", "licensed"),
    ("PT Uji Coba Karya Abadi (FIKTIF)", "expired"),
    ("pt rekaan lintas negeri (fiktif)", "revoked"),
    ("PT Percontohan Migran Jaya (FIKTIF)", "suspended"),
    ("PT Tidak Ada Di Daftar", "unknown"),
])
def test_lookup_verdicts(db: Database, typed: str, verdict: str) -> None:
    import_register(db, FIXTURE)
    assert lookup(db, typed, TODAY).verdict == verdict


def test_near_miss_is_a_suggestion_not_a_confirmation(db: Database) -> None:
    import_register(db, FIXTURE)
    found = lookup(db, "PT Contoh Sejahtra", TODAY)
    assert found.verdict == "unknown"
    assert found.suggestion == "PT Contoh Sejahtera Mandiri (FIKTIF)"


def test_reimport_replaces_and_reports_changes(db: Database, tmp_path: Path) -> None:
    import_register(db, FIXTURE)
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    changed = [lines[0], lines[1].replace("2030-12-31", "2031-12-31"), lines[3],
               "PT Baru Rekaan (FIKTIF),FIKTIF/009/2026,2030-01-01,Bali,Jl. Fiktif 9,aktif"]
    second = tmp_path / "second.csv"
    second.write_text("\n".join(changed) + "\n", encoding="utf-8")
    report = import_register(db, second)
    assert report.total == 3
    assert report.added == ["PT Baru Rekaan (FIKTIF)"]
    assert report.removed == ["PT Percontohan Migran Jaya (FIKTIF)",
                              "PT Uji Coba Karya Abadi (FIKTIF)"]
    assert report.changed == ["PT Contoh Sejahtera Mandiri (FIKTIF)"]
    assert lookup(db, "PT Uji Coba Karya Abadi (FIKTIF)", TODAY).verdict == "unknown"


def test_a_broken_file_imports_nothing_and_names_the_row(db: Database, tmp_path: Path) -> None:
    import_register(db, FIXTURE)
    broken = tmp_path / "broken.csv"
    broken.write_text(FIXTURE.read_text(encoding="utf-8") +
                      "PT Rusak (FIKTIF),FIKTIF/010,31-12-2030,Bali,Jl,aktif\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=r"broken.csv:6: valid_until"):
        import_register(db, broken)
    assert lookup(db, "PT Contoh Sejahtera Mandiri (FIKTIF)", TODAY).verdict == "licensed"
