"""A tip from villager to officers and back, through the emulator, with privacy checks."""

from __future__ import annotations

import re

import pytest

from bot.domain.people import roles
from bot.emulator import Person
from tests.auxil.harness import Harness
from tests.auxil.reporting import finish_report, join_as_officer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x02\x80\x00\x00\x01\xe0" + bytes(40)


@pytest.fixture
def harness(harness_any_db: Harness) -> Harness:
    """Tips are about privacy and authorisation: these tests run on both databases."""
    return harness_any_db


@pytest.fixture
async def offices(harness: Harness) -> dict[str, Person]:
    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(harness.services.db, "mtr", "Kantor Imigrasi Mataram")
    return {"tpi": await join_as_officer(harness, "Petugas Satu", "tpi", username=True),
            "mtr": await join_as_officer(harness, "Petugas Dua", "mtr", username=True)}


async def _report(harness: Harness, siti: Person) -> str:
    step = await siti.ask("/lapor")
    assert "1/8" in step.text
    step = await siti.ask("Sepupu saya ditawari kerja admin di Kamboja oleh calo")
    assert "2/8" in step.text
    siti.mark = harness.emu.last_seq()
    await harness.emu.send_photo(siti.user, PNG, caption="tangkapan layar iklan")
    saved = await siti.reply()
    await siti.press(saved, label="Selesai")
    step = await siti.reply()
    assert "3/8" in step.text
    return await finish_report(siti, "Pak Joko, WA 0812-0000-2222", "Kamboja lewat Bangkok",
                               "family", "Pak Joko")


async def test_report_claim_question_escalate_close(harness: Harness, offices: dict) -> None:
    siti = harness.emu.person("Siti Rahayu", username="siti_r")
    officer = offices["tpi"]
    officer.mark = harness.emu.last_seq()
    code = await _report(harness, siti)

    alert = await officer.reply()
    assert code in alert.text and "Pak Joko" in alert.text
    photo = await officer.reply()
    assert photo.method == "sendPhoto"

    await officer.press(alert, label="Saya tangani")
    await officer.reply()
    update = await siti.reply()
    assert code in update.text and "petugas" in update.text.lower()

    await officer.press(alert, label="Tanya pelapor")
    await officer.reply()
    await officer.ask("Kapan rencana berangkatnya?")
    question = await siti.reply()
    assert "Kapan rencana berangkatnya?" in question.text
    await siti.press(question, label="Jawab")
    await siti.reply()
    await siti.ask("Minggu depan, lewat Batam")
    relayed = await officer.reply()
    while "Minggu depan" not in relayed.text:
        relayed = await officer.reply()

    await officer.press(alert, data=f"tp:e:{_tip_id(alert)}:police")
    await officer.reply()
    assert code in (await siti.reply()).text
    await officer.press(alert, data=f"tp:x:{_tip_id(alert)}:followed_up")
    await officer.reply()
    closed = await siti.reply()
    assert code in closed.text

    status = await siti.ask(f"/status {code}")
    assert code in status.text
    stranger = await harness.emu.person("Orang Lain").ask(f"/status {code}")
    assert code not in stranger.text

    _assert_no_identity(harness, officer, siti)


def _tip_id(alert) -> int:  # type: ignore[no-untyped-def]
    data = [b["callback_data"] for row in alert.buttons for b in row]
    return int(data[0].split(":")[2])


def _assert_no_identity(harness: Harness, officer: Person, reporter: Person) -> None:
    """Nothing the bot sent towards the officer's chat carries the reporter's identity."""
    requests = harness.emu.requests_to(officer.chat_id)
    assert requests
    for event in requests:
        blob = repr(event.params) + repr(event.message)
        assert "Siti" not in blob and "siti_r" not in blob
        assert str(reporter.id) not in blob
        assert event.method != "forwardMessage" and "forward_origin" not in blob


async def test_forged_claim_by_villager_or_other_office_is_refused(harness: Harness,
                                                                  offices: dict) -> None:
    siti = harness.emu.person("Siti")
    officer = offices["tpi"]
    officer.mark = harness.emu.last_seq()
    await _report(harness, siti)
    alert = await officer.reply()
    tip_id = _tip_id(alert)
    for intruder in (siti, offices["mtr"]):
        before = len(harness.emu.world.callbacks)
        await intruder.press(alert, data=f"tp:c:{tip_id}")
        await harness.emu.wait_for(lambda b=before: any(
            q.get("answered") for q in list(harness.emu.world.callbacks.values())[b:]))
        answer = list(harness.emu.world.callbacks.values())[-1]["answered"]
        assert "tidak diizinkan" in answer["text"].lower()
    from bot.domain.tips.submission import for_reporter

    assert for_reporter(harness.services.db, _code(alert), siti.id).status == "new"


def _code(alert) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"LP-[A-Z0-9]{8}", alert.text).group(0)


async def test_the_village_step_finds_a_typo_and_can_always_be_cancelled(
        harness: Harness) -> None:
    from bot.domain.programme.village_import import import_villages
    from tests.auxil.paths import FIXTURES

    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(harness.services.db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(harness.services.db, FIXTURES / "villages_fictional.csv")
    siti = harness.emu.person("Siti Rahayu")
    await siti.ask("/lapor")
    step = await siti.ask("Sepupu saya ditawari kerja admin di Kamboja oleh calo")
    await siti.press(step, label="Selesai")
    assert "3/8" in (await siti.reply()).text
    assert "4/8" in (await siti.ask("Pak Joko")).text
    step = await siti.ask("Kamboja")
    await siti.press(step, data="tf:at_risk:family")
    step = await siti.reply()
    await siti.press(step, data="tf:timing:soon")
    step = await siti.reply()
    assert "7/8" in step.text  # the village
    missing = await siti.ask("zzqxw")
    assert "tidak ditemukan" in missing.text
    assert missing.button_texts() == ["Lewati", "Batalkan laporan"]
    choices = await siti.ask("sukmaju")
    assert any(label.startswith("Sukamaju") for label in choices.button_texts())
    assert choices.button_texts()[-2:] == ["Lewati", "Batalkan laporan"]
    await siti.press(choices, label="Batalkan laporan")
    assert "dibatalkan" in (await siti.reply()).text
