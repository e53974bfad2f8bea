"""Each role's first hour from a fresh database, through the emulator (issue 14's done-when).

The office is set up as the README says (an office, the village list, an invite per
officer or official); then each person uses only what the bot tells them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.formatting import format_datetime_local
from bot.domain.people import roles
from bot.domain.programme.village_import import import_villages
from bot.emulator import Person
from bot.emulator.world import Event
from tests.auxil.harness import Harness
from tests.auxil.paths import FIXTURES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x02\x80\x00\x00\x01\xe0" + bytes(40)
OFFER = ("Dicari admin online penempatan Kamboja, gaji 15jt/bulan, berangkat pakai visa turis "
         "dulu, tiket ditanggung. Paspor nanti dipegang kantor selama kontrak. WA 0812-0000-7777")


@pytest.fixture
def harness(harness_any_db: Harness) -> Harness:
    """The journeys touch every table: they run on SQLite and PostgreSQL."""
    return harness_any_db


def _office(harness: Harness) -> None:
    db = harness.services.db
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(db, FIXTURES / "villages_fictional.csv")


async def _officer(harness: Harness, office: str = "mtr") -> Person:
    token = roles.create_invite(harness.services.db, "officer", office_code=office)
    officer = harness.emu.person("Petugas Mataram")
    welcome = await officer.ask(f"/start inv_{token}")
    assert "Kantor Imigrasi Mataram" in welcome.text and "/laporan" in welcome.text
    return officer


def _data(event: Event, prefix: str) -> str:
    return next(b["callback_data"] for row in event.buttons for b in row
                if b["callback_data"].startswith(prefix))


async def _report_with_photo(harness: Harness, siti: Person) -> str:
    """/lapor, step by step as the prompts say, with a screenshot and the village by name."""
    assert "Apa yang terjadi" in (await siti.ask("/lapor")).text
    assert "(2/8)" in (await siti.ask("Tetangga saya ditawari kerja admin di Kamboja")).text
    siti.mark = harness.emu.last_seq()
    await harness.emu.send_photo(siti.user, PNG, caption="iklan lowongan")
    await siti.press(await siti.reply(), label="Selesai")
    assert "(3/8)" in (await siti.reply()).text
    assert "(4/8)" in (await siti.ask("Pak Joko, WA 0812-0000-2222")).text
    step = await siti.ask("Kamboja")
    await siti.press(step, label="Tetangga")
    await siti.press(await siti.reply(), label="Berangkat dalam beberapa hari")
    step = await siti.reply()
    assert "(7/8)" in step.text
    choices = await siti.ask("sukamaju")
    await siti.press(choices, label="Sukamaju (Gerung, Lombok Barat)")
    consent = await siti.reply()
    assert "(8/8)" in consent.text
    await siti.press(consent, label="Tidak, rahasiakan saya")
    summary = await siti.reply()
    assert "Pak Joko" in summary.text and "Sukamaju" in summary.text
    await siti.press(summary, label="Kirim laporan")
    received = (await siti.reply()).text
    assert "identitas Anda dilindungi" in received
    return re.search(r"LP-[A-Z0-9]{8}", received).group(0)


async def test_a_villagers_first_hour(harness: Harness) -> None:
    """Asks, checks an offer, reports with a photo, answers a relayed question by typing,
    and hears the outcome."""
    _office(harness)
    officer = await _officer(harness)
    siti = harness.emu.person("Siti Rahayu", username="siti_r")
    welcome = await siti.ask("/start")
    assert "Desa Binaan" in welcome.text and welcome.buttons
    answer = await siti.ask("cara bikin paspor gimana")
    assert "Sumber:" in answer.text
    verdict = await siti.ask(OFFER)
    assert verdict.text.startswith(("RISIKO TINGGI", "HATI-HATI")), verdict.text

    officer.mark = harness.emu.last_seq()
    code = await _report_with_photo(harness, siti)
    alert = await officer.reply()
    assert code in alert.text and alert.text.startswith("\U0001f6a8")  # leaving within days
    assert "Siti" not in alert.text
    await officer.press(alert, data=_data(alert, "tp:q:"))
    await officer.reply()
    siti.mark = harness.emu.last_seq()
    await officer.say("Kapan Pak Joko datang ke desa?")
    question = await siti.reply(timeout=15)
    while "Kapan Pak Joko" not in question.text:  # the "being handled" update may come first
        question = await siti.reply(timeout=15)
    offered = await siti.ask("Kemarin sore, naik mobil hitam")
    officer.mark = harness.emu.last_seq()
    await siti.press(offered, data=_data(offered, "tr:s:"))
    assert "diteruskan ke petugas" in (await siti.reply()).text
    relayed = await officer.reply()
    while "Kemarin sore" not in relayed.text:
        relayed = await officer.reply()
    siti.mark = harness.emu.last_seq()
    await officer.press(relayed, data=_data(relayed, "tp:x:"))
    outcomes = await officer.reply()
    await officer.press(outcomes, data=_data(outcomes, "tp:x:"))  # the first outcome
    await officer.reply()
    outcome = await siti.reply(timeout=15)
    while code not in outcome.text or "ditangani" in outcome.text:  # earlier updates first
        outcome = await siti.reply(timeout=15)
    assert "ditindaklanjuti" in outcome.text  # the outcome in words
    status = await siti.ask("/status")
    assert code in status.text


async def test_a_village_officials_first_hour(harness: Harness) -> None:
    """Joins by invite, links a group, schedules a lesson with "besok jam 7 malam" and a
    weekly quiz, reads the statistics."""
    _office(harness)
    token = roles.create_invite(harness.services.db, "official", village_code="52.01.01.2001")
    kades = harness.emu.person("Pak Kades", username="kades")
    welcome = await kades.ask(f"/start inv_{token}")
    assert "Sukamaju" in welcome.text and "startgroup=hubungkan" in welcome.text
    group = harness.emu.world.add_group("Grup Desa Sukamaju")
    await harness.emu.add_bot_to_group(kades.user, group)
    assert "/hubungkan" in (await harness.emu.next_from_bot(group.id)).text
    kades.mark = harness.emu.last_seq()
    await harness.emu.send_text(kades.user, "/hubungkan", group)
    assert "terhubung dengan Sukamaju" in (await kades.reply(chat=group)).text

    lessons = await kades.ask("/pelajaran")
    await kades.press(lessons, label=lessons.button_texts()[0])
    preview = await kades.reply()
    await kades.press(preview, label="Jadwalkan")
    assert "besok jam 7 malam" in (await kades.reply()).text
    confirmed = await kades.ask("besok jam 7 malam")
    tomorrow = datetime.now(UTC).astimezone(ZoneInfo("Asia/Makassar")) + timedelta(days=1)
    at = tomorrow.replace(hour=19, minute=0, second=0, microsecond=0)
    assert format_datetime_local(at, "Asia/Makassar") in confirmed.text  # in WITA

    weekly = await kades.ask("/kampanye tiap Jumat jam 7 malam 3")
    assert "setiap Jumat pukul 19.00 WITA, 3 soal" in weekly.text
    assert "berjalan" in (await kades.ask("/kampanye")).text
    stats = await kades.ask("/statistik")
    assert stats.method == "sendPhoto"
    assert "Hasil Sukamaju" in stats.text and "belum ada jawaban" in stats.text
    assert "0%" not in stats.text
    helped = await kades.ask("/bantuan")
    assert "/pelajaran" in helped.text


async def test_an_officers_first_hour(harness: Harness) -> None:
    """Triages from the alert to closing, escalates, and sees the tip's history."""
    _office(harness)
    bp3mi = harness.emu.world.add_group("BP3MI NTB")
    bp3mi.members[harness.emu.world.bot_user["id"]] = "member"
    roles.add_office(harness.services.db, "bp3mi-ntb", "BP3MI Nusa Tenggara Barat",
                     kind="bp3mi", group_chat_id=bp3mi.id)
    officer = await _officer(harness)
    siti = harness.emu.person("Siti Rahayu", username="siti_r")
    officer.mark = harness.emu.last_seq()
    code = await _report_with_photo(harness, siti)
    alert = await officer.reply()
    assert code in alert.text and "Desa: Sukamaju" in alert.text
    assert alert.params.get("protect_content") is True
    photo = await officer.reply()
    assert photo.method == "sendPhoto"

    await officer.press(alert, label="Saya tangani")
    assert code in (await officer.reply()).text
    await officer.press(alert, label="Catatan")
    await officer.reply()
    assert "tersimpan" in (await officer.ask("cek ke kepala desa besok")).text.lower()
    listing = await officer.ask("/laporan")
    assert code in listing.text and "ditangani petugas" in listing.text
    await officer.press(listing, data=_data(listing, "tp:v:"))
    opened = await officer.reply()
    assert "Riwayat:" in opened.text and "cek ke kepala desa besok" in opened.text
    assert (await officer.reply()).method == "sendPhoto"

    await officer.press(alert, data=_data(alert, "tp:e:") + ":bp3mi")
    said = (await officer.reply()).text
    assert "BP3MI Nusa Tenggara Barat" in said
    case = await harness.emu.wait_for(lambda: [
        e for e in harness.emu.world.bot_messages(bp3mi.id) if code in e.text])
    assert "Siti" not in case[0].text and "Kantor Imigrasi Mataram" in case[0].text

    await officer.press(alert, label="Tutup")
    outcomes = await officer.reply()
    await officer.press(outcomes, data=_data(outcomes, "tp:x:"))
    closed = (await officer.reply()).text
    assert code in closed and "ditutup" in closed
    assert code not in (await officer.ask("/laporan")).text


async def test_a_report_confirms_what_its_story_already_said(harness: Harness) -> None:
    """"Pak Joko ... Kamboja" in the story: steps 3 and 4 show them; one is corrected."""
    _office(harness)
    siti = harness.emu.person("Siti Rahayu")
    await siti.ask("/lapor")
    step = await siti.ask("ada calo namanya pak Joko, nawarin kerja ke kamboja, wa 0812-0000-3131")
    assert "(2/8)" in step.text
    await siti.press(step, label="Selesai")
    recruiter = await siti.reply()
    assert "(3/8)" in recruiter.text and "pak Joko, 0812-0000-3131" in recruiter.text
    await siti.press(recruiter, label="Benar")
    country = await siti.reply()
    assert "(4/8)" in country.text and "Kamboja" in country.text
    await siti.press(country, label="Bukan itu")
    plain = await siti.reply()
    assert "(4/8)" in plain.text and "Dari cerita" not in plain.text
    step = await siti.ask("Myanmar")
    assert "(5/8)" in step.text
    for label in ("Tetangga", "Belum berangkat", "Lewati", "Tidak, rahasiakan saya"):
        await siti.press(step, label=label)
        step = await siti.reply()
    summary = step.text
    assert "Perekrut: pak Joko, 0812-0000-3131" in summary and "Tujuan: Myanmar" in summary
