"""Every button under a tip alert, pressed by the right officer, does what it says; the
menus behind them are refused to anyone else (callback data can be forged)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.people import roles
from bot.domain.tips.submission import TipInput, for_reporter, submit
from bot.domain.tips.texts import ESCALATE_TO, OUTCOMES
from bot.emulator import Person
from bot.emulator.world import Event
from tests.auxil.harness import Harness
from tests.auxil.reporting import join_as_officer

REPORTER = 5550001
REFUSED = "Anda tidak diizinkan melakukan ini."
NOT_VALID = "Tombol ini sudah tidak berlaku."


@pytest.fixture
def harness(harness_any_db: Harness, no_flood_limits: None) -> Harness:
    """Tips touch the database: both databases."""
    return harness_any_db


@pytest.fixture
def no_flood_limits(harness_any_db: Harness) -> None:
    """One officer pressing many buttons quickly: 429 waits would only slow the test down."""
    harness_any_db.emu.limits.enabled = False


@pytest.fixture
async def officers(harness: Harness) -> dict[str, Person]:
    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(harness.services.db, "mtr", "Kantor Imigrasi Mataram")
    return {"tpi": await join_as_officer(harness, "Petugas Satu", "tpi"),
            "mtr": await join_as_officer(harness, "Petugas Dua", "mtr")}


async def _alert(harness: Harness, officer: Person, story: str) -> tuple[Event, str]:
    """Submit a tip in the domain and return the alert the officer receives, and its code."""
    officer.mark = harness.emu.last_seq()
    if REPORTER not in harness.emu.world.users:
        harness.emu.person("Siti", user_id=REPORTER)
    tip = submit(harness.services.db, REPORTER, "Siti", TipInput(story=story), limit=100)
    harness.services.wake_outbox()
    alert = await officer.reply()
    assert tip.code in alert.text
    return alert, tip.code


async def _press(harness: Harness, person: Person, event: Event, label: str | None = None,
                 data: str | None = None) -> dict[str, Any]:
    """Press a button and return how the bot answered the callback query."""
    await person.press(event, label=label, data=data)
    query = list(harness.emu.world.callbacks.values())[-1]
    return await harness.emu.wait_for(lambda: query.get("answered"))


def _data(event: Event, label: str) -> str:
    return next(b["callback_data"] for row in event.buttons for b in row if b["text"] == label)


@pytest.mark.parametrize("target", list(ESCALATE_TO))
async def test_every_escalation_button_works_for_the_officer(
        harness: Harness, officers: dict[str, Person], target: str) -> None:
    officer = officers["tpi"]
    alert, code = await _alert(harness, officer, f"Calo kirim orang, diteruskan ke {target}")
    assert (await _press(harness, officer, alert, label="Teruskan")).get("text") is None
    menu = await officer.reply()
    assert menu.text == "Teruskan ke siapa?"
    label = ESCALATE_TO[target]
    answer = await _press(harness, officer, menu, label=label)
    assert answer.get("text") not in {NOT_VALID, REFUSED}, answer
    done = await officer.reply()
    # No BP3MI or police contact is configured here: the officer is told nothing was sent.
    assert done.text.startswith(f"Laporan {code} dicatat sebagai diteruskan ke {label}")
    assert for_reporter(harness.services.db, code, REPORTER).status == "escalated"


@pytest.mark.parametrize("outcome", list(OUTCOMES))
async def test_every_outcome_and_alert_button_works_for_the_officer(
        harness: Harness, officers: dict[str, Person], outcome: str) -> None:
    """One tip per outcome (an officer pressing thirty buttons at once counts as flooding)."""
    officer = officers["tpi"]
    alert, code = await _alert(harness, officer, f"Calo lagi, hasil {outcome}")
    for label in ("Saya tangani", "Tanya pelapor", "Catatan"):
        answer = await _press(harness, officer, alert, label=label)
        assert answer.get("text") is None, (label, answer)
        await officer.reply()
    assert (await officer.ask("Sudah dicek ke desa")).text == "Catatan tersimpan."
    assert (await _press(harness, officer, alert, label="Tutup")).get("text") is None
    menu = await officer.reply()
    labels = menu.button_texts()
    assert len(labels) == len(OUTCOMES)
    chosen = labels[list(OUTCOMES).index(outcome)]
    assert _data(menu, chosen).endswith(f":{outcome}")
    answer = await _press(harness, officer, menu, label=chosen)
    assert answer.get("text") not in {NOT_VALID, REFUSED}, answer
    assert code in (await officer.reply()).text
    tip = for_reporter(harness.services.db, code, REPORTER)
    assert (tip.status, tip.outcome) == ("closed", outcome)


async def test_the_escalate_and_close_menus_are_refused_to_others(
        harness: Harness, officers: dict[str, Person]) -> None:
    """A forged `tp:e:<id>` or `tp:x:<id>` without its argument showed the menu to anyone."""
    alert, _code = await _alert(harness, officers["tpi"], "Calo kirim orang ke Kamboja")
    tip_id = int(_data(alert, "Tutup").split(":")[2])
    villager = harness.villager("Budi")
    await villager.ask("/start")
    for intruder in (villager, officers["mtr"]):
        for data in (f"tp:e:{tip_id}", f"tp:x:{tip_id}"):
            before = harness.emu.last_seq()
            answer = await _press(harness, intruder, alert, data=data)
            assert answer.get("text") == REFUSED, (data, answer)
            sent = [e for chat in (intruder.chat_id, officers["tpi"].chat_id)
                    for e in harness.emu.requests_to(chat) if e.seq > before]
            assert not sent, [e.text for e in sent]


def _events(harness: Harness, code: str) -> list[str]:
    from sqlalchemy import select

    from bot.core.storage.models import Tip, TipEvent

    with harness.services.db.session() as session:
        tip_id = session.scalar(select(Tip.id).where(Tip.code == code))
        return [e.kind for e in session.scalars(select(TipEvent).where(
            TipEvent.tip_id == tip_id).order_by(TipEvent.id))]


def _may_report(harness: Harness) -> bool:
    """Whether the reporter's new tips are accepted (read, not tried: no new alerts)."""
    from sqlalchemy import select

    from bot.core.storage.models import Person

    with harness.services.db.session() as session:
        return not session.scalar(select(Person.tips_blocked).where(
            Person.telegram_id == REPORTER))


async def test_an_officer_blocks_and_unblocks_a_reporter_by_button_and_command(
        harness: Harness, officers: dict[str, Person]) -> None:
    officer = officers["tpi"]
    alert, code = await _alert(harness, officer, "Laporan iseng berulang kali")
    assert (await _press(harness, officer, alert, label="Blokir pelapor")).get("text") is None
    confirm = await officer.reply()
    assert confirm.button_texts() == ["Ya, blokir"] and "Blokir pelapor" in confirm.text
    assert _may_report(harness)  # asking is not blocking
    await _press(harness, officer, confirm, label="Ya, blokir")
    blocked = await officer.reply()
    assert f"Pelapor laporan {code} diblokir" in blocked.text
    assert not _may_report(harness)
    await _press(harness, officer, blocked, label="Buka blokir pelapor")
    assert "boleh mengirim laporan lagi" in (await officer.reply()).text
    assert _may_report(harness)
    assert f"Pelapor laporan {code} diblokir" in (await officer.ask(f"/blokir {code}")).text
    assert not _may_report(harness)
    assert "boleh mengirim" in (await officer.ask(f"/bukablokir {code.lower()}")).text
    assert _events(harness, code)[-4:] == ["blocked", "unblocked", "blocked", "unblocked"]
    assert "Siti" not in blocked.text and str(REPORTER) not in blocked.text


async def test_nobody_else_can_block_a_reporter(harness: Harness,
                                               officers: dict[str, Person]) -> None:
    alert, code = await _alert(harness, officers["tpi"], "Calo kirim orang ke Kamboja")
    tip_id = int(_data(alert, "Tutup").split(":")[2])
    villager = harness.villager("Budi")
    await villager.ask("/start")
    for intruder in (villager, officers["mtr"]):
        for data in (f"tp:b:{tip_id}", f"tp:b:{tip_id}:yes", f"tp:u:{tip_id}"):
            answer = await _press(harness, intruder, alert, data=data)
            assert answer.get("text") == REFUSED, (data, answer)
        refused = await intruder.ask(f"/blokir {code}")
        assert refused.text == REFUSED
    assert _may_report(harness)
    assert "blocked" not in _events(harness, code)
