"""Issue 17's done-when, through the emulator: one advert in three villages, one alert, a verdict,
one follow-up each, and the warning for the next villager."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.core.storage.models import Village
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.programme.membership import subscribe
from bot.domain.services import Services
from bot.emulator import Emulator, Person
from tests.auxil.harness import Harness, start_bot, stop_bot
from tests.auxil.reporting import join_as_officer

VARIANTS = [
    "🔥LOKER ADMIN KAMBOJA🔥 Gaji 15JT/bln, visa turis, tiket & hotel ditanggung. Tanpa "
    "pengalaman, yg penting bisa ketik. Minat WA 0812-7713-4402 (Bu Rina)",
    "LOKER ADMIN KAMBOJA gaji 15jt per bulan!! visa turis, tiket dan hotel ditanggung, tanpa "
    "pengalaman. minat wa 081277134402",
    "Loker admin Kamboja 15 juta, visa turis, tiket ditanggung. Hub Bu Rina +62 812 7713 4402",
]
NEW_VARIANT = ("Dibuka lagi!! loker admin di Kamboja, gaji 15 juta sebulan, tiket & hotel "
               "ditanggung, visa turis. wa.me/6281277134402")
OTHER_TEMPLATE_SAME_NUMBER = ("Dicari operator game online di Myawaddy, gaji 20 juta, tiket ke "
                              "Bangkok ditanggung. Hubungi 0812 7713 4402")


@pytest.fixture
async def harness(emulator: Emulator, shared_services: Services,
                  db_url: str) -> AsyncIterator[Harness]:
    """The real bot, alerting at 3 texts from 3 villages (issue 17's example is 5 from 3)."""
    db = Database(db_url)
    settings = replace(shared_services.settings, database_url=db_url, campaign_alert_texts=3,
                       campaign_alert_villages=3)
    services = replace(shared_services, db=db, settings=settings,
                       outbox_wakeup=asyncio.Event(), delivery_wakeup=asyncio.Event())
    app = await start_bot(emulator, services)
    yield Harness(emulator, app, services)
    await stop_bot(app)
    db.dispose()
    assert not emulator.rejected, f"the emulator rejected requests: {emulator.rejected}"


@pytest.fixture
async def office(harness: Harness) -> dict:
    """An office with a group, its officer in it, and three villages with a villager each."""
    db = harness.services.db
    group = harness.emu.world.add_group("Petugas Imigrasi Mataram")
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram", default=True, group_chat_id=group.id)
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang")
    with db.session() as session:
        mtr, tpi = (roles.office_by_code(session, code).id for code in ("mtr", "tpi"))
        villages = [Village(code=f"52.01.0{i}.200{i}", name=name, office_id=mtr,
                            timezone="Asia/Makassar")
                    for i, name in enumerate(["Sukamaju", "Sukamakmur", "Karang Bayan",
                                              "Lembah Sari"], 1)]
        session.add_all(villages)
        session.flush()
        village_ids = [v.id for v in villages]
    officer = await join_as_officer(harness, "Petugas Mataram", "mtr")
    other = await join_as_officer(harness, "Petugas Tanjungpinang", "tpi")
    await harness.emu.add_bot_to_group(officer.user, group)
    people = []
    for name, village_id in zip(["Siti", "Budi", "Ani", "Wati"], village_ids, strict=True):
        person = harness.villager(name)
        subscribe(db, person.chat_id, village_id)
        people.append(person)
    return {"group": group, "officer": officer, "other": other, "villagers": people,
            "tpi": tpi}


def _alerts(harness: Harness, group_id: int) -> list:
    return [e for e in harness.emu.world.bot_messages(group_id)
            if e.text.startswith("\u26a0\ufe0f Kemungkinan kampanye perekrut")]


def _follow_ups(harness: Harness, person: Person) -> list:
    return [e for e in harness.emu.world.bot_messages(person.chat_id)
            if e.text.startswith("Kabar tentang tawaran kerja")]


async def test_one_alert_a_verdict_one_follow_up_each_and_a_warning(harness: Harness,
                                                                   office: dict) -> None:
    group, officer = office["group"], office["officer"]
    checkers, fourth = office["villagers"][:3], office["villagers"][3]
    for person, text in zip(checkers, VARIANTS, strict=True):
        answer = await person.ask(text)
        assert "RISIKO TINGGI" in answer.text

    alerts = await harness.emu.wait_for(lambda: _alerts(harness, group.id) or None)
    alert = alerts[0]
    assert "3 pengecekan atau laporan dari 3 desa" in alert.text
    for village in ("Sukamaju", "Sukamakmur", "Karang Bayan"):
        assert village in alert.text
    assert "+6281277134402" in alert.text and "LOKER ADMIN KAMBOJA" in alert.text
    for person in checkers:  # nothing in the alert says who checked
        assert person.user["first_name"] not in alert.text and str(person.id) not in alert.text

    stranger = office["other"]  # an officer of another office cannot give the verdict
    stranger.mark = harness.emu.last_seq()
    await stranger.press(alert, label="Penipuan terkonfirmasi")
    refused = await harness.emu.wait_for(lambda: [
        q["answered"] for q in harness.emu.world.callbacks.values() if q.get("answered")
        and q["from"]["id"] == stranger.id] or None)
    assert "tidak diizinkan" in refused[0]["text"].lower()

    officer.mark = harness.emu.last_seq()
    await officer.press(alert, label="Penipuan terkonfirmasi")
    recorded = await officer.reply(chat=group)
    assert "K-" in recorded.text and "3 warga" in recorded.text
    for person in checkers:
        heard = await person.reply()
        assert heard.text.startswith("Kabar tentang tawaran kerja")
        assert "/lapor" in heard.text

    await officer.press(alert, label="Penipuan terkonfirmasi")  # pressed again: nobody twice
    again = await officer.reply(chat=group)
    assert "0 warga" in again.text

    warned = await fourth.ask(NEW_VARIANT)
    assert warned.text.startswith("\u26d4 Iklan ini sudah dilaporkan 3 kali di wilayah Anda")
    assert "petugas memastikan" in warned.text
    watched = await fourth.ask(OTHER_TEMPLATE_SAME_NUMBER)
    assert "RISIKO TINGGI" in watched.text and "daftar pantau" in watched.text.lower()

    assert len(_alerts(harness, group.id)) == 1
    for person in checkers:
        assert len(_follow_ups(harness, person)) == 1
    assert not _follow_ups(harness, fourth)


async def test_the_warning_lesson_goes_to_the_villages_reached(harness: Harness,
                                                               office: dict) -> None:
    group, officer = office["group"], office["officer"]
    db = harness.services.db
    with db.session() as session:
        ids = [v.id for v in session.query(Village).order_by(Village.id)][:3]
    for person, text in zip(office["villagers"][:3], VARIANTS, strict=True):
        await person.ask(text)
    alert = (await harness.emu.wait_for(lambda: _alerts(harness, group.id) or None))[0]
    officer.mark = harness.emu.last_seq()
    await officer.press(alert, label="Penipuan terkonfirmasi")
    recorded = await officer.reply(chat=group)
    await officer.press(recorded, label="Kirim pelajaran peringatan ke desa-desa ini")
    sent = await officer.reply(chat=group)
    assert "3 desa" in sent.text
    for person in office["villagers"][:3]:  # subscribers of those villages get the lesson
        lesson = await harness.emu.wait_for(lambda p=person: [
            e for e in harness.emu.world.bot_messages(p.chat_id)
            if "Ciri tawaran kerja palsu" in e.text] or None)
        assert lesson
    assert ids
