"""The administration commands, as an officer would run them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.main import main
from tests.auxil.paths import FIXTURES


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'admin.sqlite3'}")
    monkeypatch.setenv("DESABOT_DATA_DIR", str(tmp_path))
    return tmp_path


def test_offices_villages_invites_and_a_poster(env: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim Tanjungpinang",
                 "--default"]) == 0
    assert main(["offices", "add", "--code", "mtr", "--name", "Kanim Mataram"]) == 0
    assert main(["villages", "import", str(FIXTURES / "villages_fictional.csv")]) == 0
    assert "4 added, 0 updated" in capsys.readouterr().out
    assert main(["officers", "invite", "--office", "tpi"]) == 0
    link = capsys.readouterr().out.splitlines()[0]
    assert re.fullmatch(r"https://t\.me/desabinaan_bot\?start=inv_[A-Za-z0-9_-]{32}", link)
    assert main(["officers", "invite", "--office", "nope"]) == 1
    assert "no office with code 'nope'" in capsys.readouterr().err
    poster = env / "poster.png"
    assert main(["villages", "poster", "--village", "52.01.01.2001", "--out", str(poster)]) == 0
    assert poster.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and poster.stat().st_size > 20_000
    pdf = env / "poster.pdf"
    assert main(["villages", "poster", "--village", "52.01.01.2001", "--out", str(pdf)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_tips_export_and_purge_and_stats(env: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim", "--default"]) == 0
    out = env / "tips.csv"
    assert main(["tips", "export", "--office", "tpi", "--out", str(out)]) == 0
    assert out.read_text().startswith('"code","created_at","status"')
    assert main(["tips", "purge", "--closed-before", "2026-01-01"]) == 0
    assert "purged personal data from 0 tip(s)" in capsys.readouterr().out
    assert main(["stats", "export"]) == 0
    assert capsys.readouterr().out.startswith('"code","village","subscribers"')


def test_doctor_names_the_problem_and_says_when_all_is_well(
        env: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["doctor"]) == 1
    assert "[PROBLEM] migrations: the database is empty" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert main(["doctor"]) == 1
    assert "[PROBLEM] offices: no office yet" in capsys.readouterr().out
    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim", "--default",
                 "--group", "-100123"]) == 0
    assert main(["doctor"]) == 0
    assert "all good" in capsys.readouterr().out
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "[PROBLEM] database: cannot connect to DATABASE_URL" in out
    assert "[PROBLEM] migrations: not checked: the database cannot be reached" in out
    assert "Background on this error" not in out  # plain words, not SQLAlchemy's text
    monkeypatch.setenv("NLU_BACKEND", "telepathy")
    assert main(["doctor"]) == 2
    assert "NLU_BACKEND must be one of embedded, rasa" in capsys.readouterr().err


def test_backup_and_restore(env: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim", "--default"]) == 0
    backup = env / "copy.sqlite3"
    assert main(["backup", str(backup)]) == 0
    assert main(["offices", "add", "--code", "mtr", "--name", "Kanim 2"]) == 0
    assert main(["restore", str(backup)]) == 0
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{env / 'admin.sqlite3'}")
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT code FROM offices"))] == ["tpi"]
    engine.dispose()
    assert main(["backup", str(backup)]) == 1
    assert "exists" in capsys.readouterr().err


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(
        env: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim", "--default"]) == 0
    junk, empty = env / "junk.sqlite3", env / "empty.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    empty.write_bytes(b"")
    capsys.readouterr()
    assert main(["restore", str(junk)]) == 1
    assert "is not an SQLite database" in capsys.readouterr().err
    assert main(["restore", str(empty)]) == 1
    assert "is not a backup of this bot" in capsys.readouterr().err
    assert main(["backup", str(env / "missing" / "copy.sqlite3")]) == 1
    assert "does not exist" in capsys.readouterr().err
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{env / 'admin.sqlite3'}")
    with engine.connect() as conn:  # the office is still there
        assert [r[0] for r in conn.execute(text("SELECT code FROM offices"))] == ["tpi"]
    engine.dispose()


def test_an_officer_invite_without_an_office_is_refused_in_one_line(
        env: Path, capsys: pytest.CaptureFixture) -> None:
    """Such an invite was accepted, and opening it used it up without making an officer."""
    assert main(["officers", "invite"]) == 1
    assert main(["officials", "invite"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["desabot: officers invite needs --office CODE (see `desabot offices add`)",
                   "desabot: officials invite needs --village CODE (see `desabot villages "
                   "import`)"]


async def test_links_name_the_bot_the_token_belongs_to(
        env: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --bot-username the link names the bot Telegram's getMe reports, not ours."""
    import asyncio

    from bot.emulator import Emulator

    emu = Emulator(bot_username="kanim_mataram_bot")
    await emu.start()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "424242:office-token")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", emu.base_url)
    try:
        assert await asyncio.to_thread(main, ["offices", "add", "--code", "mtr", "--name",
                                              "Kanim Mataram"]) == 0
        capsys.readouterr()
        assert await asyncio.to_thread(main, ["officers", "invite", "--office", "mtr"]) == 0
        link = capsys.readouterr().out.splitlines()[0]
        assert link.startswith("https://t.me/kanim_mataram_bot?start=inv_")
        await emu.stop()  # Telegram unreachable: a one-line error, no link to a guessed bot
        assert await asyncio.to_thread(main, ["officers", "invite", "--office", "mtr"]) == 1
        assert "give --bot-username" in capsys.readouterr().err
    finally:
        await emu.stop()


def _tip_for(url: str, office: str) -> None:
    from bot.core.storage.models import Office, Tip
    from bot.core.storage.session import Database

    db = Database(url)
    with db.session() as session:
        office_id = session.query(Office.id).filter(Office.code == office).scalar()
        session.add(Tip(code="LP-TEST0001", office_id=office_id, story="calo"))
    db.dispose()


def test_doctor_names_an_office_whose_tips_nobody_is_alerted_to(
        env: Path, capsys: pytest.CaptureFixture) -> None:
    """It said 'all good' while the default office had no officer and open tips."""
    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim Tanjungpinang",
                 "--default"]) == 0
    _tip_for(f"sqlite:///{env / 'admin.sqlite3'}", "tpi")
    capsys.readouterr()
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert ("[PROBLEM] offices: office tpi (Kanim Tanjungpinang) receives tips but has no "
            "officer and no group, 1 open tip(s) nobody was alerted to: `desabot officers "
            "invite --office tpi`") in out
    from bot.core.storage.session import Database
    from bot.domain.people import roles

    db = Database(f"sqlite:///{env / 'admin.sqlite3'}")
    assert roles.redeem(db, roles.create_invite(db, "officer", office_code="tpi"), 7, "P").ok
    db.dispose()
    assert main(["doctor"]) == 0
    assert "[ok] offices: every office that receives tips has an officer or a group" in \
        capsys.readouterr().out


def test_doctor_flags_the_console_demo_data(env: Path, capsys: pytest.CaptureFixture,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo is fine in the console, a problem once a real token is set."""
    from bot.core.storage.migrate import upgrade
    from bot.core.storage.session import Database
    from bot.domain.people.demo import DemoPeople, seed_demo

    url = f"sqlite:///{env / 'admin.sqlite3'}"
    upgrade(url)
    db = Database(url)
    assert seed_demo(db, DemoPeople(1, "Petugas", 2))
    assert not seed_demo(db, DemoPeople(1, "Petugas", 2))  # never twice, never over data
    db.dispose()
    assert main(["doctor"]) == 0
    assert "[ok] demo data: the console's demo data is here" in capsys.readouterr().out
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "424242:real-token")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:1")
    main(["doctor"])
    assert "[PROBLEM] demo data: this database holds the console's demo office" in \
        capsys.readouterr().out
    assert main(["run"]) == 2  # the real bot refuses to start on it
    assert "use a fresh database for the real bot" in capsys.readouterr().err


def test_the_poster_is_written_as_asked_and_carries_office_and_hotlines(
        env: Path, capsys: pytest.CaptureFixture) -> None:
    """--out x.jpg wrote PNG data; the poster named neither the office nor a hotline."""
    from bot.core.paths import content_dir
    from bot.core.storage.session import Database
    from bot.domain.answers.book import AnswerBook
    from bot.domain.programme.membership import village_by_code
    from bot.domain.programme.poster import poster_text

    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim Tanjungpinang",
                 "--default"]) == 0
    assert main(["offices", "add", "--code", "mtr", "--name", "Kanim Mataram"]) == 0
    assert main(["villages", "import", str(FIXTURES / "villages_fictional.csv")]) == 0
    jpg = env / "poster.jpg"
    assert main(["villages", "poster", "--village", "52.01.01.2001", "--out", str(jpg)]) == 0
    assert jpg.read_bytes()[:3] == b"\xff\xd8\xff"
    assert main(["villages", "poster", "--village", "52.01.01.2001", "--out",
                 str(env / "poster.gif")]) == 1
    assert "must end in .png, .pdf or .jpg" in capsys.readouterr().err
    db = Database(f"sqlite:///{env / 'admin.sqlite3'}")
    text = poster_text(db, village_by_code(db, "52.01.01.2001"), "https://t.me/x?start=desa",
                       AnswerBook.load(content_dir() / "id" / "answers"))
    db.dispose()
    assert text.office == "Kanim Mataram"
    assert any("110" in line for line in text.hotlines) and text.source


def test_every_poster_line_fits_inside_the_margins() -> None:
    """The sentence was cut off at both edges ("...ra bekerja ... aman dan resm")."""
    from PIL import Image, ImageDraw

    from bot.domain.programme.poster import MARGIN, WIDTH, _font, wrap

    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = _font(66, bold=True)
    text = ("Mau kerja ke luar negeri? Lewat jalur resmi, tetap aman. Pindai dengan kamera "
            "HP: pelajaran dan kuis desa di Telegram, cek tawaran kerja, dan lapor ke petugas.")
    lines = wrap(text, lambda s: draw.textlength(s, font=font), WIDTH - 2 * MARGIN)
    assert len(lines) > 3 and " ".join(lines) == text
    assert all(draw.textlength(line, font=font) <= WIDTH - 2 * MARGIN for line in lines)


@pytest.mark.parametrize("odd", ["#x", "?x=1", "?mode=rw#", "%3F"])
def test_restore_checks_the_very_file_it_restores_whatever_its_name(
        env: Path, capsys: pytest.CaptureFixture, odd: str) -> None:
    """A `?` or `#` in the path made restore check one file and copy another (an empty one)."""
    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim", "--default"]) == 0
    good = env / "b.sqlite3"
    assert main(["backup", str(good)]) == 0
    crafted = env / f"b.sqlite3{odd}"
    crafted.write_bytes(b"")
    capsys.readouterr()
    assert main(["restore", str(crafted)]) == 1
    assert "is not a backup of this bot" in capsys.readouterr().err
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{env / 'admin.sqlite3'}")
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT code FROM offices"))] == ["tpi"]
    engine.dispose()
    named = env / f"kopi{odd}.sqlite3"
    assert main(["backup", str(named)]) == 0
    assert main(["restore", str(named)]) == 0


def test_backups_are_private_and_replaced_only_with_force(
        env: Path, capsys: pytest.CaptureFixture) -> None:
    import stat

    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim", "--default"]) == 0
    copy = env / "copy.sqlite3"
    assert main(["backup", str(copy)]) == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert main(["backup", str(copy)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err
    assert main(["backup", str(copy), "--force"]) == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert main(["backup", str(env / "admin.sqlite3"), "--force"]) == 1
    assert "database" in capsys.readouterr().err


def test_the_operator_blocks_and_unblocks_a_reporter_by_tip_code(
        env: Path, capsys: pytest.CaptureFixture) -> None:
    from bot.core.storage.session import Database
    from bot.domain.tips.submission import TipError, TipInput, submit

    assert main(["offices", "add", "--code", "tpi", "--name", "Kanim", "--default"]) == 0
    db = Database(f"sqlite:///{env / 'admin.sqlite3'}")
    tip = submit(db, 5550001, "Iseng", TipInput(story="laporan iseng"))
    capsys.readouterr()
    assert main(["tips", "block", "--code", tip.code]) == 0
    assert f"reporter of tip {tip.code} blocked" in capsys.readouterr().out
    with pytest.raises(TipError, match="blocked"):
        submit(db, 5550001, "Iseng", TipInput(story="iseng lagi"))
    assert main(["tips", "unblock", "--code", tip.code.lower()]) == 0
    submit(db, 5550001, "Iseng", TipInput(story="sekarang boleh"))
    assert main(["tips", "block", "--code", "LP-NOPE"]) == 1
    assert capsys.readouterr().err.strip() == "desabot: no tip with code 'LP-NOPE'"
    assert main(["tips", "block"]) == 1
    assert "needs --code" in capsys.readouterr().err
    db.dispose()
