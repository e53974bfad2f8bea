"""The Desa Binaan programme through the emulator: join, link a group, lessons, quizzes, results."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.people import roles
from bot.domain.programme.village_import import import_villages
from bot.emulator import Person
from scheduler.ticker import tick
from tests.auxil.harness import Harness
from tests.auxil.paths import FIXTURES

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
async def village(harness: Harness) -> dict:
    db = harness.services.db
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(db, FIXTURES / "villages_fictional.csv")
    token = roles.create_invite(db, "official", village_code="52.01.01.2001")
    kades = harness.emu.person("Pak Kades", username="kades")
    welcome = await kades.ask(f"/start inv_{token}")
    assert "Selamat datang" in welcome.text
    group = harness.emu.world.add_group("Grup Desa Sukamaju")
    await harness.emu.add_bot_to_group(kades.user, group)
    assert "/hubungkan" in (await harness.emu.next_from_bot(group.id)).text  # its greeting
    return {"kades": kades, "group": group}


async def _join_by_search(siti: Person) -> str:
    choices = await siti.ask("/desa sukamaju")
    labels = choices.button_texts()
    assert "Sukamaju (Gerung, Lombok Barat)" in labels
    assert "Sukamaju (Bintan Timur, Bintan)" in labels
    await siti.press(choices, label="Sukamaju (Gerung, Lombok Barat)")
    return (await siti.reply()).text


async def test_join_by_search_and_by_deep_link_then_leave(harness: Harness, village: dict) -> None:
    siti = harness.villager("Siti")
    assert "bergabung dengan Sukamaju (Gerung, Lombok Barat)" in await _join_by_search(siti)
    budi = harness.villager("Budi")
    joined = await budi.ask("/start desa_52_01_01_2001")
    assert "Sukamaju" in joined.text
    stopped = await budi.ask("/berhenti")
    assert "tidak akan menerima" in stopped.text
    bad = await harness.villager("Ani").ask("/start desa_99_99")
    assert "tidak berlaku" in bad.text


async def test_only_the_villages_official_who_is_admin_links_the_group(harness: Harness,
                                                                      village: dict) -> None:
    kades, group = village["kades"], village["group"]
    budi = harness.villager("Budi")
    group.members[budi.id] = "administrator"
    budi.mark = harness.emu.last_seq()
    await harness.emu.send_text(budi.user, "/hubungkan", group)
    refused = await budi.reply(chat=group)
    assert "Hanya perangkat desa" in refused.text
    kades.mark = harness.emu.last_seq()
    await harness.emu.send_text(kades.user, "/hubungkan", group)
    linked = await kades.reply(chat=group)
    assert "terhubung dengan Sukamaju" in linked.text


async def test_scheduled_lesson_fires_in_the_villages_time(harness: Harness, village: dict) -> None:
    kades, group = village["kades"], village["group"]
    await harness.emu.send_text(kades.user, "/hubungkan", group)
    siti = harness.villager("Siti")
    await _join_by_search(siti)
    menu = await kades.ask("/pelajaran")
    await kades.press(menu, label=menu.button_texts()[0])
    preview = await kades.reply()
    assert "Sumber:" in preview.text
    await kades.press(preview, label="Jadwalkan")
    await kades.reply()
    # A date in the past is refused now, so this one stays in the future for years.
    confirmed = await kades.ask("4-12-2037 19.00")
    assert confirmed.text == "Dijadwalkan pada Jumat, 4 Desember 2037 pukul 19.00 WITA."

    services = harness.services
    when = datetime(2037, 12, 4, 19, 0, tzinfo=WITA)
    assert not tick(services.db, services.library, when - timedelta(minutes=1),
                    timedelta(hours=1)).anything
    siti.mark = harness.emu.last_seq()
    assert tick(services.db, services.library, when + timedelta(seconds=30),
                timedelta(hours=1)).released
    services.wake_deliveries()
    lesson = await siti.reply(timeout=15)
    assert preview.text.split("\n")[0] in lesson.text
    in_group = await harness.emu.wait_for(
        lambda: [e for e in harness.emu.world.bot_messages(group.id)
                 if preview.text.split("\n")[0] in e.text], timeout=15)
    assert len(in_group) == 1
    report = await kades.reply(timeout=15)
    while "selesai" not in report.text.lower():
        report = await kades.reply(timeout=15)
    assert "2 dari 2 terkirim" in report.text


async def test_quiz_campaign_answers_and_statistics(harness: Harness, village: dict) -> None:
    kades = village["kades"]
    people = [harness.villager(name) for name in ("Siti", "Budi", "Ani")]
    for person in people:
        await _join_by_search(person)
    set_up = await kades.ask("/kampanye jumat 19.00 2")
    assert "setiap Jumat pukul 19.00 WITA, 2 soal" in set_up.text

    services = harness.services
    friday = _next_friday_evening()
    result = tick(services.db, services.library, friday, timedelta(hours=1))
    assert len(result.campaign_broadcasts) == 2
    services.wake_deliveries()
    for number, person in enumerate(people):
        polls = await harness.emu.wait_for(
            lambda p=person: [e for e in harness.emu.world.bot_messages(p.id)
                              if e.method == "sendPoll"] if len(
                [e for e in harness.emu.world.bot_messages(p.id) if e.method == "sendPoll"]
            ) == 2 else None, timeout=20)
        for poll in polls:
            assert poll.message["poll"]["type"] == "quiz"
            assert poll.params["open_period"] == 3 * 3600  # the quiz evening closes on time
            assert not poll.message["poll"]["is_anonymous"]
            correct = poll.params["correct_option_ids"][0]
            chosen = correct if number < 2 else (correct + 1) % len(poll.params["options"])
            await harness.emu.answer_poll(person.user, poll, [chosen])
    from bot.domain.programme.quiz_results import village_stats

    village_id = _village_id(harness)
    stats = await harness.emu.wait_for(
        lambda: (s := village_stats(services.db, village_id)).answers == 6 and s, timeout=15)
    assert (stats.participants, stats.correct) == (3, 4)
    chart = await kades.ask("/statistik")
    assert chart.method == "sendPhoto"
    assert "Hasil Sukamaju" in chart.text and "Nilai rata-rata: 67%" in chart.text
    # Everything but the six quiz polls was charged to the sending budget as a reply.
    sent = [e for e in harness.emu.world.transcript if e.direction == "out"]
    assert harness.app.bot.budget.others == len(sent) - 6


def _next_friday_evening() -> datetime:
    """The first Friday 19.01 WITA after now: the campaign is created at the real time.

    A fixed Friday (4 December 2026) made the test fail from that evening on: the schedule,
    created later, never fired at a time before it existed.
    """
    now = datetime.now(WITA)
    friday = (now + timedelta(days=(4 - now.weekday()) % 7)).replace(
        hour=19, minute=1, second=0, microsecond=0)
    return friday if friday > now + timedelta(minutes=5) else friday + timedelta(days=7)


def _village_id(harness: Harness) -> int:
    from sqlalchemy import select

    from bot.core.storage.models import Village

    with harness.services.db.session() as session:
        return session.scalar(select(Village.id).where(Village.code == "52.01.01.2001"))


async def test_villagers_and_other_officials_cannot_broadcast(harness: Harness,
                                                             village: dict) -> None:
    siti = harness.villager("Siti")
    refused = await siti.ask("/pelajaran")
    assert "perangkat desa dan petugas" in refused.text
    kades = village["kades"]
    menu = await kades.ask("/pelajaran")
    token = roles.create_invite(harness.services.db, "official", village_code="21.71.01.2001")
    other = harness.emu.person("Kades Lain")
    await other.ask(f"/start inv_{token}")
    lesson_button = menu.buttons[0][0]["callback_data"].replace(":v:", ":n:")
    await other.press(menu, data=lesson_button)
    answered = await harness.emu.wait_for(lambda: [
        q["answered"] for q in harness.emu.world.callbacks.values()
        if q["from"]["id"] == other.id and q.get("answered")], timeout=10)
    assert "tidak diizinkan" in answered[0]["text"]
    from sqlalchemy import func, select

    from bot.core.storage.models import Broadcast

    with harness.services.db.session() as session:
        assert session.scalar(select(func.count(Broadcast.id))) == 0


async def test_officials_own_message_is_sent_only_after_an_officer_approves(
        harness: Harness, village: dict) -> None:
    kades, db = village["kades"], harness.services.db
    refused = await kades.ask("/pesan")
    assert "Ketik pesan" in refused.text
    not_allowed = await kades.ask("Rapat warga Jumat malam")
    assert "belum mengizinkan" in not_allowed.text

    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram", allow_messages=True)
    token = roles.create_invite(db, "officer", office_code="mtr")
    officer = harness.emu.person("Petugas Mataram")
    await officer.ask(f"/start inv_{token}")
    outsider_token = roles.create_invite(db, "officer", office_code="tpi")
    outsider = harness.emu.person("Petugas Lain")
    await outsider.ask(f"/start inv_{outsider_token}")
    siti = harness.villager("Siti")
    await _join_by_search(siti)

    await kades.ask("/pesan")
    officer.mark = harness.emu.last_seq()
    sent = await kades.ask("Sosialisasi kerja aman ke luar negeri, Jumat 19.00 di balai desa")
    assert "persetujuan" in sent.text
    request = await officer.reply()
    assert "Sosialisasi kerja aman" in request.text
    assert not [e for e in harness.emu.world.bot_messages(siti.id) if "Sosialisasi" in e.text]

    await outsider.press(request, label="Setujui")
    answered = await harness.emu.wait_for(lambda: [
        q["answered"] for q in harness.emu.world.callbacks.values()
        if q["from"]["id"] == outsider.id and q.get("answered")], timeout=10)
    assert "tidak diizinkan" in answered[0]["text"]

    siti.mark = harness.emu.last_seq()
    await officer.press(request, label="Setujui")
    delivered = await siti.reply(timeout=15)
    assert delivered.text.startswith("Sosialisasi kerja aman")
    told = await harness.emu.wait_for(lambda: [
        e for e in harness.emu.world.bot_messages(kades.id) if "disetujui" in e.text], 15)
    assert told


async def test_an_official_of_another_village_cannot_take_over_a_linked_group(
        harness: Harness, village: dict) -> None:
    kades, group = village["kades"], village["group"]
    kades.mark = harness.emu.last_seq()
    await harness.emu.send_text(kades.user, "/hubungkan", group)
    assert "terhubung dengan Sukamaju" in (await kades.reply(chat=group)).text
    token = roles.create_invite(harness.services.db, "official", village_code="52.01.02.2002")
    other = harness.emu.person("Kades Lain")
    assert "Selamat datang" in (await other.ask(f"/start inv_{token}")).text
    group.members[other.id] = "administrator"
    other.mark = harness.emu.last_seq()
    await harness.emu.send_text(other.user, "/hubungkan", group)
    refused = await other.reply(chat=group)
    assert "sudah terhubung dengan desa lain" in refused.text
    from bot.domain.programme.membership import recipients
    from bot.domain.programme.villages import search

    sukamaju = next(v for v in search(harness.services.db, "Sukamaju") if v.regency ==
                    "Lombok Barat")
    assert (group.id, True) in recipients(harness.services.db, sukamaju.id)
