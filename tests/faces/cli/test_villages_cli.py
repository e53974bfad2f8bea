"""`desabot villages search|add` and `offices add --covers`, as an office's admin runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.main import main


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'admin.sqlite3'}")
    monkeypatch.setenv("DESABOT_DATA_DIR", str(tmp_path))
    return tmp_path


def test_search_add_from_the_gazetteer_with_the_covering_office(
        capsys: pytest.CaptureFixture) -> None:
    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim Tanjungpinang",
                 "--default", "--covers", "KAB. BINTAN", "--covers", "Kota Tanjung Pinang"]) == 0
    assert "covers: kabupaten bintan, kota tanjung pinang" in capsys.readouterr().out
    assert main(["villages", "search", "desa kelong bintan"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("gazetteer  AID.24819  Kelong, Bintan Pesisir, Kabupaten Bintan, "
                            "Kepulauan Riau 29151 WIB  (not in a programme)")
    assert main(["villages", "add", "--gazetteer", "AID.24819"]) == 0
    assert "added Kelong (Bintan Pesisir, Kabupaten Bintan)" in capsys.readouterr().out
    assert main(["villages", "search", "klong"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "programme  Kelong (Bintan Pesisir, Kabupaten Bintan)"
    assert "(office tpi)" in out[1]
    assert main(["villages", "add", "--gazetteer", "AID.24819"]) == 1
    assert "already in the programme (office tpi)" in capsys.readouterr().err
    assert main(["villages", "add"]) == 1
    assert "needs --gazetteer CODE" in capsys.readouterr().err
    assert main(["villages", "add", "--gazetteer", "AID.24820", "--office", "nope"]) == 1
    assert "no office with code 'nope'" in capsys.readouterr().err


def test_a_duplicate_code_in_an_import_is_one_line(env: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    csv = env / "v.csv"
    csv.write_text("code,village,district,regency,province,timezone,office\n"
                   "1.1,A,D,R,P,WIB,\n1.2,B,D,R,P,WIB,\n1.1,C,D,R,P,WIB,\n", encoding="utf-8")
    assert main(["villages", "import", str(csv)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "v.csv:4: code 1.1 appears twice (first on line 2)" in err
