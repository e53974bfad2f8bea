"""Tips in the domain: stored with their alerts, routed, protected, worked; on both databases."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core.storage.models import OutboxMessage, Tip, TipEvent, Village, utcnow
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.tips import triage
from bot.domain.tips.submission import (
    TipError,
    TipInput,
    for_reporter,
    reannounce_due,
    submit,
)

REPORTER = 5550001
REPORTER_NAME = "Siti Rahayu @siti_r"


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def offices(db: Database) -> dict[str, int]:
    """Two offices with one officer each; Tanjungpinang is the default; one village each."""
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True,
                     group_chat_id=-100777)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    officers = {}
    for code, telegram_id in (("tpi", 9001), ("mtr", 9002)):
        token = roles.create_invite(db, "officer", office_code=code)
        assert roles.redeem(db, token, telegram_id, f"Petugas {code}").ok
        officers[code] = telegram_id
    with db.session() as session:
        office_ids = {o.code: o.id for o in session.scalars(select(roles.Office))}
        session.add(Village(code="52.01.01.2001", name="Sukamaju", district="Gerung",
                            regency="Lombok Barat", province="NTB", timezone="Asia/Makassar",
                            office_id=office_ids["mtr"]))
    return officers


def _outbox(db: Database) -> list[OutboxMessage]:
    with db.session() as session:
        rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        for row in rows:
            session.expunge(row)
        return rows


def _village_id(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(Village.id))


def test_a_tip_is_stored_with_its_alert_and_an_unguessable_code(db: Database,
                                                                offices: dict) -> None:
    tip = submit(db, REPORTER, REPORTER_NAME, TipInput(story="Ada calo ajak ke Kamboja"))
    assert tip.code.startswith("LP-") and len(tip.code) == 11
    other = submit(db, REPORTER + 1, "X", TipInput(story="Calo lain lagi"))
    assert other.code != tip.code
    chats = [m.chat_id for m in _outbox(db)]
    assert chats == [-100777, -100777]  # non-urgent, unknown village: the default office group


def test_routing_by_village_and_urgent_goes_to_every_officer(db: Database,
                                                             offices: dict) -> None:
    submit(db, REPORTER, REPORTER_NAME,
           TipInput(story="Adik mau berangkat lusa", timing="soon", village_id=_village_id(db)))
    alerts = _outbox(db)
    assert [m.chat_id for m in alerts] == [offices["mtr"]]
    assert "URGENT" in json.loads(alerts[0].payload)["text"].upper() or \
        "MENDESAK" in json.loads(alerts[0].payload)["text"].upper()


def test_identity_reaches_officers_only_with_consent(db: Database, offices: dict) -> None:
    submit(db, REPORTER, REPORTER_NAME, TipInput(story="Tanpa izin identitas"))
    submit(db, REPORTER + 1, "Budi Santoso @budi", TipInput(story="Boleh lihat", consent=True))
    first, second = (json.loads(m.payload)["text"] for m in _outbox(db))
    assert "Siti" not in first and "siti_r" not in first and str(REPORTER) not in first
    assert "Budi Santoso" in second


def test_daily_limit_and_blocked_reporters(db: Database, offices: dict) -> None:
    for i in range(3):
        submit(db, REPORTER, REPORTER_NAME, TipInput(story=f"laporan nomor {i}"), limit=3)
    with pytest.raises(TipError) as refused:
        submit(db, REPORTER, REPORTER_NAME, TipInput(story="satu lagi"), limit=3)
    assert refused.value.reason == "limit"
    tip = submit(db, REPORTER + 7, "Iseng", TipInput(story="laporan iseng"))
    triage.block_reporter(db, offices["tpi"], tip.id)
    with pytest.raises(TipError, match="blocked"):
        submit(db, REPORTER + 7, "Iseng", TipInput(story="iseng lagi"))


def test_only_the_tips_own_office_may_work_it(db: Database, offices: dict) -> None:
    tip = submit(db, REPORTER, REPORTER_NAME, TipInput(story="Calo di pasar"))
    for intruder in (offices["mtr"], REPORTER, 123):
        with pytest.raises(TipError, match="forbidden"):
            triage.claim(db, intruder, tip.id)
        with pytest.raises(TipError, match="forbidden"):
            triage.close(db, intruder, tip.id, "not_scam")
    claimed = triage.claim(db, offices["tpi"], tip.id)
    assert claimed.status == "claimed"


def test_every_change_is_audited_and_the_reporter_is_told(db: Database, offices: dict) -> None:
    tip = submit(db, REPORTER, REPORTER_NAME, TipInput(story="Calo di pasar"))
    officer = offices["tpi"]
    triage.claim(db, officer, tip.id)
    triage.add_note(db, officer, tip.id, "cek ke desa besok")
    triage.ask_reporter(db, officer, tip.id, "Nomor calonya berapa?")
    triage.reporter_answers(db, REPORTER, tip.id, "0812-0000-1111")
    assert triage.escalate(db, officer, tip.id, "police", "diteruskan").sent_to == ""
    triage.close(db, officer, tip.id, "followed_up")
    with db.session() as session:
        kinds = [e.kind for e in session.scalars(select(TipEvent).where(
            TipEvent.tip_id == tip.id).order_by(TipEvent.id))]
    assert kinds == ["created", "claimed", "note", "question", "answer", "escalated", "closed"]
    to_reporter = [json.loads(m.payload)["text"] for m in _outbox(db) if m.chat_id == REPORTER]
    assert len(to_reporter) == 4  # claimed, question, escalated, closed; the note is internal
    assert "Nomor calonya berapa?" in to_reporter[1]
    to_officer = [json.loads(m.payload)["text"] for m in _outbox(db) if m.chat_id == officer]
    assert any("0812-0000-1111" in t for t in to_officer)
    assert not any("Siti" in t for t in to_officer)


def test_status_is_for_the_reporter_only(db: Database, offices: dict) -> None:
    tip = submit(db, REPORTER, REPORTER_NAME, TipInput(story="Calo di pasar"))
    assert for_reporter(db, tip.code.lower(), REPORTER).code == tip.code
    assert for_reporter(db, tip.code, REPORTER + 1) is None


def test_unclaimed_tips_are_announced_again(db: Database, offices: dict) -> None:
    tip = submit(db, REPORTER, REPORTER_NAME, TipInput(story="Calo di pasar"))
    assert reannounce_due(db, timedelta(hours=2)) == 0
    assert reannounce_due(db, timedelta(hours=2), now=utcnow() + timedelta(hours=3)) == 1
    texts = [json.loads(m.payload)["text"] for m in _outbox(db)]
    assert len(texts) == 2 and tip.code in texts[1]
    triage.claim(db, offices["tpi"], tip.id)
    assert reannounce_due(db, timedelta(hours=2), now=utcnow() + timedelta(hours=6)) == 0


@pytest.mark.parametrize("case", ["expired", "reused", "forged", "revoked"])
def test_invites_are_single_use_and_expire(db: Database, case: str) -> None:
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang")
    token = roles.create_invite(db, "officer", office_code="tpi",
                                ttl=timedelta(seconds=-1) if case == "expired" else
                                timedelta(days=1))
    if case == "reused":
        assert roles.redeem(db, token, 1, "A").ok
    if case == "forged":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    if case == "revoked":
        with db.session() as session:
            session.execute(roles.update(roles.Invite).values(revoked=True))
    result = roles.redeem(db, token, 2, "B")
    assert not result.ok
    with db.session() as session:
        assert roles.active_officer(session, 2) is None


def test_revoked_officer_loses_access(db: Database, offices: dict) -> None:
    tip = submit(db, REPORTER, REPORTER_NAME, TipInput(story="Calo di pasar"))
    assert roles.revoke_officer(db, offices["tpi"]) == 1
    with pytest.raises(TipError, match="forbidden"):
        triage.claim(db, offices["tpi"], tip.id)
    with db.session() as session:
        assert session.get(Tip, tip.id).status == "new"


def test_the_report_conversation_refuses_oversized_input_with_a_reason() -> None:
    from bot.domain.tips.flow import MAX_FILE_BYTES, Draft, accept_media, accept_text

    draft = Draft(telegram_id=1)
    assert accept_text(draft, "x" * 3001) == "too_long" and draft.story == ""
    assert accept_media(draft, "document", "F1", "", MAX_FILE_BYTES + 1) == "too_big"
    assert accept_text(draft, "Calo menawari kerja") is None
