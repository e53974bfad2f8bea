"""The same villages give the same search results, in the same order, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.storage.migrate import upgrade
from bot.core.storage.session import Database
from bot.domain.programme import gazetteer, villages
from bot.domain.programme.village_import import import_villages

QUERIES = ("sukamaju", "desa sukamaju bintan", "sukmaju", "kelong", "mekar sari", "tanjung")


def _csv(path: Path) -> Path:
    """Same-named villages with codes that collations sort differently (case, dots, dashes)."""
    rows = ["code,village,district,regency,province,timezone,office"]
    for n, code in enumerate(("a-1", "A.2", "b.1", "B-2", "_3", "10", "9", "Z")):
        for j, name in enumerate(("Sukamaju", "Suka Maju", "Mekarsari", "Tanjung", "Kelong")):
            rows.append(f"{code}.{j},{name},Kec {n % 3},Kab {n % 2},Riau,WIB,")
    rows.append("x.1,Kelong,Bintan Pesisir,Kabupaten Bintan,Kepulauan Riau,WIB,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_sqlite_and_postgresql_agree(tmp_path: Path, postgres) -> None:  # type: ignore[no-untyped-def]
    if postgres is None:
        pytest.skip("needs DESABOT_TEST_POSTGRES_URL")
    sqlite_url = f"sqlite:///{tmp_path / 'parity.sqlite3'}"
    upgrade(sqlite_url)
    results = []
    for url in (sqlite_url, postgres.fresh()):
        db = Database(url)
        import_villages(db, _csv(tmp_path / "v.csv"))
        results.append([[(v.id, v.label) for v in villages.search(db, q, 8)] for q in QUERIES]
                       + [[(e.code, e.programme_office) for e in gazetteer.search(db, q)]
                          for q in QUERIES])
        db.dispose()
    assert results[0] == results[1]
    assert len(results[0][0]) == 8  # many equal scores: the order is the tie-break's
