"""Security review points (SECURITY.md) that are not covered by the feature tests."""

from __future__ import annotations

import logging
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from aiohttp import web
from sqlalchemy import select

from bot.core.config import ConfigError, load_settings
from bot.core.paths import ROOT
from bot.core.storage.models import Tip, TipEvent, utcnow
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.tips import triage
from bot.domain.tips.records import export_csv, purge
from bot.domain.tips.submission import TipInput, submit
from bot.faces.telegram.webhook import SECRET_HEADER, make_webhook_app
from tests.auxil.harness import Harness

TOKEN_RE = re.compile(r"\b\d{8,10}:[A-Za-z0-9_-]{35}\b")


def test_no_bot_token_or_secret_is_committed() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    leaks = []
    for name in files:
        path = ROOT / name
        if path.suffix in {".png", ".pdf", ".pickle"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        leaks += [f"{name}: {m.group(0)[:12]}..." for m in TOKEN_RE.finditer(text)]
    assert leaks == []
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_secrets_come_from_the_environment_and_bad_ones_are_refused() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123456:ABC-def_ghi",
                              "WEBHOOK_SECRET_TOKEN": "s3cret-Token_1"})
    assert settings.token == "123456:ABC-def_ghi"
    assert load_settings({}).token is None  # no token in code: the console runs instead
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        load_settings({"TELEGRAM_BOT_TOKEN": "not a token"})
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET_TOKEN"):
        load_settings({"WEBHOOK_SECRET_TOKEN": "spaces are not allowed"})


async def test_the_webhook_refuses_requests_without_the_secret(harness: Harness) -> None:
    server = web.AppRunner(make_webhook_app(harness.app, "right-secret"))
    await server.setup()
    site = web.TCPSite(server, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    update = {"update_id": 999001, "message": {
        "message_id": 1, "date": 1700000000, "text": "/start",
        "chat": {"id": 4242, "type": "private", "first_name": "X"},
        "from": {"id": 4242, "is_bot": False, "first_name": "X"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
    url = f"http://127.0.0.1:{port}/telegram"
    async with httpx.AsyncClient() as client:
        assert (await client.post(url, json=update)).status_code == 403
        wrong = await client.post(url, json=update, headers={SECRET_HEADER: "wrong"})
        assert wrong.status_code == 403
        health = await client.get(f"http://127.0.0.1:{port}/health")
        assert health.json()["status"] == "ok"
    await server.cleanup()


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    roles.add_office(database, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    yield database
    database.dispose()


def test_purge_removes_personal_data_and_keeps_statistics(db: Database) -> None:
    token = roles.create_invite(db, "officer", office_code="tpi")
    roles.redeem(db, token, 9001, "Petugas")
    tip = submit(db, 5550001, "Siti @siti", TipInput(story="Calo bernama Joko di pasar",
                                                     recruiter="Joko 0812", consent=True))
    triage.ask_reporter(db, 9001, tip.id, "Di pasar mana?")
    triage.close(db, 9001, tip.id, "followed_up")
    assert purge(db, utcnow() - timedelta(days=1)) == 0  # closed just now: kept
    assert purge(db, utcnow() + timedelta(days=1)) == 1
    with db.session() as session:
        stored = session.get(Tip, tip.id)
        assert (stored.reporter_id, stored.reporter_name, stored.story, stored.recruiter) == (
            None, None, "", "")
        assert (stored.status, stored.outcome, stored.office_id) == ("closed", "followed_up",
                                                                     stored.office_id)
        texts = [e.text for e in session.scalars(select(TipEvent).where(
            TipEvent.tip_id == tip.id))]
        assert "Di pasar mana?" not in texts


def test_after_a_purge_nothing_links_the_reporters_account_to_the_tip(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    """The real reporter answering an old relayed question was logged with account and tip."""
    from bot.core.storage.models import OutboxMessage

    caplog.set_level(logging.DEBUG)
    token = roles.create_invite(db, "officer", office_code="tpi")
    roles.redeem(db, token, 9001, "Petugas")
    reporter = 5550123
    tip = submit(db, reporter, "Siti @siti", TipInput(story="Calo bernama Joko di pasar"))
    triage.ask_reporter(db, 9001, tip.id, "Di pasar mana?")
    triage.close(db, 9001, tip.id, "followed_up")
    assert purge(db, utcnow() + timedelta(days=1)) == 1
    caplog.clear()
    with pytest.raises(triage.TipError):
        triage.reporter_answers(db, reporter, tip.id, "Pasar Baru, Pak")
    for record in caplog.records:
        line = record.getMessage()
        assert str(reporter) not in line, line
    with db.session() as session:
        rows = list(session.scalars(select(OutboxMessage)))
        assert not [r for r in rows if r.chat_id == reporter]
        assert not [r for r in rows if "Joko" in r.payload or "pasar" in r.payload.lower()]
        assert not [r for r in rows if r.dedupe_key.startswith(f"tip:{tip.id}:")]


def test_export_names_the_reporter_only_with_consent(db: Database, tmp_path: Path) -> None:
    submit(db, 1, "Siti Rahasia", TipInput(story="tanpa izin identitas"))
    submit(db, 2, "Budi Terbuka", TipInput(story="boleh", consent=True))
    out = tmp_path / "tips.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        assert export_csv(db, "tpi", None, fh) == 2
    text = out.read_text(encoding="utf-8")
    assert "Budi Terbuka" in text and "Siti Rahasia" not in text


def test_logs_carry_no_reporter_identity(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    tip = submit(db, 5550009, "Rahasia Sekali", TipInput(story="laporan"))
    with pytest.raises(triage.TipError):
        triage.claim(db, 777, tip.id)  # a forged claim is logged ...
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused tip action" in logged
    assert "Rahasia" not in logged and "5550009" not in logged  # ... without the reporter


def test_every_promise_in_security_md_names_an_existing_test() -> None:
    """Each row of SECURITY.md's table names tests, and each named test exists."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines()
            if line.startswith("| ") and not line.startswith(("| asset", "|---"))]
    assert len(rows) >= 8
    missing = []
    for row in rows:
        checked_by = row.rstrip(" |").rsplit(" | ", 1)[-1]
        names = re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?", checked_by)
        assert any(path for path, _name in names), f"a promise without a test: {row[:80]}"
        current = None
        for path, name in names:
            current = ROOT / path if path else current
            assert current is not None and current.is_file(), (row[:60], path)
            if name and not re.search(rf"^(async )?def {name}\(", current.read_text(
                    encoding="utf-8"), re.MULTILINE):
                missing.append(f"{current.relative_to(ROOT)}::{name}")
    assert not missing, missing
