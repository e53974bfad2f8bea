"""The admin commands meet real operators' files and databases: one line, never a traceback,
and nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.core.storage.models import Village
from bot.core.storage.session import Database
from bot.main import main

HEADER = "code,village,district,regency,province,timezone,office\n"
AGENCIES = "name,licence_number,valid_until,province,address,status\n"
ROW = "52.01.01.2001,Désa Sukamaju,Gerung,Lombok Barat,Nusa Tenggara Barat,WITA,\n"


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The commands on SQLite and on PostgreSQL (which refuses over-long values)."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DESABOT_DATA_DIR", str(tmp_path))
    return db_url


def _villages(url: str) -> int:
    db = Database(url)
    try:
        with db.session() as session:
            return session.scalar(select(func.count(Village.id))) or 0
    finally:
        db.dispose()


def _one_line_error(capsys: pytest.CaptureFixture, *parts: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("desabot: "), err
    assert "Traceback" not in err
    for part in parts:
        assert part in err, (part, err)
    return err


@pytest.mark.parametrize(("encoding", "hint"), [("latin-1", "latin-1"), ("utf-16", "UTF-16"),
                                                ("cp1252", "Windows-1252")])
def test_a_file_not_in_utf8_is_one_line(env: str, tmp_path: Path, capsys: pytest.CaptureFixture,
                                        encoding: str, hint: str) -> None:
    path = tmp_path / "desa.csv"
    path.write_bytes((HEADER + ROW).encode(encoding))
    for command in (["villages", "import", str(path)], ["agencies", "import", str(path)]):
        assert main(command) == 1, command
        _one_line_error(capsys, "is not UTF-8", hint, "CSV UTF-8")
    assert _villages(env) == 0


def test_a_huge_field_is_one_line(env: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture) -> None:
    villages, agencies = tmp_path / "desa.csv", tmp_path / "p3mi.csv"
    villages.write_text(HEADER + '52.01,"' + "x" * 200_000 + '",a,b,c,WIB,\n', encoding="utf-8")
    agencies.write_text(AGENCIES + '"' + "x" * 200_000 + '",KEP-1,2030-01-01,NTB,Jl,aktif\n',
                        encoding="utf-8")
    for command in (["villages", "import", str(villages)],
                    ["agencies", "import", str(agencies)]):
        assert main(command) == 1, command
        _one_line_error(capsys, "131,072 characters")
    assert _villages(env) == 0


def test_duplicate_codes_in_one_import_are_refused(env: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "desa.csv"
    path.write_text(HEADER + ROW + "52.01.01.2002,Lain,a,b,c,WITA,\n" +
                    ROW.replace("Désa Sukamaju", "Sukamaju Baru"), encoding="utf-8")
    assert main(["villages", "import", str(path)]) == 1
    _one_line_error(capsys, ":4:", "52.01.01.2001 appears twice", "line 2")
    assert _villages(env) == 0


def test_over_long_values_are_refused_before_the_database(
        env: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """PostgreSQL refused them with a traceback; SQLite kept them."""
    path = tmp_path / "desa.csv"
    path.write_text(HEADER + ROW.replace("Désa Sukamaju", "S" * 121), encoding="utf-8")
    assert main(["villages", "import", str(path)]) == 1
    _one_line_error(capsys, ":2:", "village is longer than 120 characters")
    assert main(["offices", "add", "--code", "x" * 41, "--name", "Kantor"]) == 1
    _one_line_error(capsys, "offices.code is longer than 40 characters")
    assert _villages(env) == 0


def test_an_unreachable_postgresql_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("DESABOT_DATA_DIR", str(tmp_path))
    for command in (["offices", "add", "--code", "tpi", "--name", "Kanim"],
                    ["tips", "export", "--office", "tpi"], ["db", "upgrade"]):
        assert main(command) == 1, command
        _one_line_error(capsys, "database error")
