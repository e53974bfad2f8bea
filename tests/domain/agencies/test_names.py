"""A licensed company's name must not vouch for a different company with a similar name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.storage.session import Database
from bot.domain.agencies.names import same_company
from bot.domain.agencies.register import import_register, lookup, match_name

TODAY = date(2026, 11, 29)
REGISTER = """name,licence_number,valid_until,province,address,status
PT Uji Penempatan 500,UJI/500,2030-12-31,Jawa Timur,Jl. Uji 1,aktif
PT Sinar Jaya Abadi,UJI/001,2030-12-31,Jawa Barat,Jl. Uji 2,aktif
PT Karya Abadi Jaya,UJI/002,2030-12-31,Jawa Tengah,Jl. Uji 3,aktif
PT Mitra Kerja 2,UJI/003,2030-12-31,Bali,Jl. Uji 4,aktif
PT Bina Insani Mandiri,UJI/004,2030-12-31,NTB,Jl. Uji 5,aktif
"""

DIFFERENT = [  # each is another company: never "licensed"
    "PT Uji Penempatan 5", "PT Uji Penempatan 50", "PT Uji Penempatan 5000",
    "PT Karya Abadi Raya", "PT Mitra Kerja 3", "PT Mitra Kerja", "PT Mitra Kerja 2 Baru",
    "PT Sinar Jaya Abadi Makmur", "PT Sinar Jaya", "PT Bina Insani Mandiri Timur",
    "PT Sinar Maya Abadi",
]
SAME = [  # spellings of a licensed company: still "licensed"
    ("PT. Sinar Jaya Abadi", "PT Sinar Jaya Abadi"),
    ("Sinar Jaya Abadi PT", "PT Sinar Jaya Abadi"),
    ("pt sinar jaya abadi", "PT Sinar Jaya Abadi"),
    ("PT Sinar Jya Abadi", "PT Sinar Jaya Abadi"),
    ("PT Sinar Jaya Abadii", "PT Sinar Jaya Abadi"),
    ("PT Siinar Jaya Abadi", "PT Sinar Jaya Abadi"),
    ("PT Bina Insani Mandri", "PT Bina Insani Mandiri"),
    ("PT Bina Insnai Mandiri", "PT Bina Insani Mandiri"),
    ("pt uji penempatan 500", "PT Uji Penempatan 500"),
    ("PT Mitra Kerja 2", "PT Mitra Kerja 2"),
]


@pytest.fixture
def db(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    import_register(database, register)
    yield database
    database.dispose()


@pytest.mark.parametrize("typed", DIFFERENT)
def test_a_different_company_is_not_confirmed(db: Database, typed: str) -> None:
    found = lookup(db, typed, TODAY)
    assert found.verdict == "unknown", (typed, found.name)


def test_the_look_alike_is_offered_only_as_a_question(db: Database) -> None:
    found = lookup(db, "PT Uji Penempatan 5", TODAY)
    assert found.verdict == "unknown"
    assert found.suggestion == "PT Uji Penempatan 500"


@pytest.mark.parametrize(("typed", "registered"), SAME)
def test_typos_of_a_licensed_name_still_match(db: Database, typed: str,
                                              registered: str) -> None:
    found = lookup(db, typed, TODAY)
    assert (found.verdict, found.name) == ("licensed", registered)


@pytest.mark.parametrize(("typed", "registered", "same"), [
    ("uji penempatan 5", "uji penempatan 500", False),
    ("karya abadi raya", "karya abadi jaya", False),
    ("sinar jaya abadi", "abadi jaya sinar", True),
    ("mulia sejahtera", "mulya sejahtera", True),
    ("sinar jaya abadi", "sinar jaya", False),
])
def test_same_company_word_for_word(typed: str, registered: str, same: bool) -> None:
    assert same_company(match_name(typed), match_name(registered)) is same
