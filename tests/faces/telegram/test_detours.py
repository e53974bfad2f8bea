"""Leaving a multi-step flow in words: no message is taken for what it plainly is not.

"stop kirim notif", "gak jadi", "menu" or a new question typed in the middle of the report
were stored as its offer text; "batal" after /pesan went to the officers as the village's
message. Each test is what a villager, an official or an officer would notice.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.storage.models import Subscription, Village
from bot.domain.tips import flow as tip_flow
from bot.emulator import Person
from tests.auxil.harness import Harness


def _demo(harness: Harness) -> None:
    from bot.domain.people.demo import DemoPeople, seed_demo

    assert seed_demo(harness.services.db, DemoPeople(990001, "Petugas", 990002))


def _subscribe(harness: Harness, person: Person) -> None:
    from bot.domain.programme.membership import subscribe

    with harness.services.db.session() as session:
        village_id = session.scalars(select(Village.id)).first()
    assert subscribe(harness.services.db, person.chat_id, village_id)


def _subscribed(harness: Harness, person: Person) -> bool:
    with harness.services.db.session() as session:
        return bool(session.scalar(select(Subscription.id).where(
            Subscription.chat_id == person.chat_id, Subscription.active.is_(True))))


def _data(event) -> list[str]:  # type: ignore[no-untyped-def]
    return [b["callback_data"] for row in event.buttons for b in row]


async def _at_offer_step(siti: Person) -> None:
    await siti.ask("/lapor")
    step = await siti.ask("Ada orang nawarin kerja di Thailand gaji 15 juta sebulan")
    assert "(2/" in step.text


def _draft(harness: Harness, person: Person) -> tip_flow.Draft | None:
    return tip_flow.load(harness.services.db, person.id)


async def test_stop_notifications_mid_report_unsubscribes_and_keeps_the_report(
        harness: Harness) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    _subscribe(harness, siti)
    await _at_offer_step(siti)
    answer = await siti.ask("stop kirim notif")
    assert "tidak akan menerima materi" in answer.text and "belum terkirim" in answer.text
    assert not _subscribed(harness, siti)
    draft = _draft(harness, siti)
    assert draft is not None and "notif" not in draft.offer_text
    await siti.press(answer, label="Lanjutkan laporan")
    assert "(2/" in (await siti.reply()).text


@pytest.mark.parametrize("typed", ["gak jadi", "udah ah", "batalin aja laporannya"])
async def test_giving_up_in_words_asks_before_deleting_the_report(harness: Harness,
                                                                   typed: str) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    await _at_offer_step(siti)
    confirm = await siti.ask(typed)
    assert "Batalkan laporan ini?" in confirm.text
    assert _data(confirm) == ["tf:cancel", "dt:k"]
    assert _draft(harness, siti).offer_text == ""  # nothing of it became the offer
    await siti.press(confirm, label="Ya, batalkan laporan")
    assert "dibatalkan" in (await siti.reply()).text
    assert _draft(harness, siti) is None


@pytest.mark.parametrize("typed", ["berhenti", "stop", "keluar"])
async def test_a_bare_stop_asks_what_to_stop(harness: Harness, typed: str) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    _subscribe(harness, siti)
    await _at_offer_step(siti)
    choice = await siti.ask(typed)
    assert "Apa yang ingin Anda hentikan?" in choice.text
    assert choice.button_texts() == ["Batalkan laporan", "Berhenti terima pelajaran dan kuis",
                                     "Lanjutkan laporan"]
    await siti.press(choice, label="Berhenti terima pelajaran dan kuis")
    stopped = await siti.reply()
    assert "tidak akan menerima materi" in stopped.text and not _subscribed(harness, siti)
    assert _draft(harness, siti) is not None  # the report waits


async def test_menu_mid_report_shows_the_help_and_the_way_back(harness: Harness) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    await _at_offer_step(siti)
    helped = await siti.ask("menu")
    assert "/lapor" in helped.text and "/status" in helped.text
    waits = await siti.reply()
    assert "belum terkirim" in waits.text and "Lanjutkan laporan" in waits.button_texts()
    assert _draft(harness, siti).offer_text == ""


async def test_a_long_story_that_mentions_stop_is_the_story(harness: Harness) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    await siti.ask("/lapor")
    story = ("Tetangga saya ditawari kerja di Kamboja, katanya kalau mau berhenti kerja harus "
             "bayar denda 20 juta, dan disuruh stop kuliah dulu")
    assert "(2/" in (await siti.ask(story)).text
    assert _draft(harness, siti).story == story


async def test_a_question_at_the_first_step_is_answered_and_can_join_the_report(
        harness: Harness) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    await siti.ask("/lapor")
    answer = await siti.ask("berapa biaya bikin paspor?")
    assert "Sumber:" in answer.text
    waits = await siti.reply()
    assert "belum terkirim" in waits.text
    assert _draft(harness, siti).story == ""
    await siti.press(waits, label="Masukkan pesan saya ke laporan")
    assert "(2/" in (await siti.reply()).text
    assert _draft(harness, siti).story == "berapa biaya bikin paspor?"


async def test_done_and_dont_know_in_words_move_the_report_on(harness: Harness) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    await _at_offer_step(siti)
    assert "Tersimpan" in (await siti.ask("Dicari 20 orang kerja di Bangkok, WA 0812 3456 7890"
                                          )).text
    assert "(3/" in (await siti.ask("udah")).text
    assert "(4/" in (await siti.ask("gak tau")).text
    draft = _draft(harness, siti)
    assert "udah" not in draft.offer_text and draft.recruiter == ""


async def test_stop_notifications_while_the_bot_waits_for_an_offer(harness: Harness) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    _subscribe(harness, siti)
    asked = await siti.ask("tolong cek tawaran kerja")
    assert "tawaran" in asked.text.lower()
    stopped = await siti.ask("stop kirim notif")
    assert "tidak akan menerima materi" in stopped.text and not _subscribed(harness, siti)
    assert "risiko" not in stopped.text.lower()


async def _official(harness: Harness) -> Person:
    _demo(harness)
    return harness.emu.person("Pak Kades", user_id=990002)


async def test_batal_typed_after_pesan_is_not_sent_to_the_officers(harness: Harness) -> None:
    from bot.core.storage.models import Broadcast

    kades = await _official(harness)
    await kades.ask("/pesan")
    assert "tidak dikirim ke petugas" in (await kades.ask("batal")).text
    await kades.ask("/pesan")
    assert "dibatalkan" in (await kades.ask("/batal")).text  # it said "nothing to cancel"
    with harness.services.db.session() as session:
        assert session.scalar(select(Broadcast.id)) is None  # no message awaits approval


async def test_gak_jadi_instead_of_a_date_schedules_nothing(harness: Harness) -> None:
    from bot.core.storage.models import Broadcast

    kades = await _official(harness)
    menu = await kades.ask("/pelajaran")
    await kades.press(menu, label=menu.button_texts()[0])
    preview = await kades.reply()
    await kades.press(preview, label="Jadwalkan")
    await kades.reply()
    assert "tidak dijadwalkan" in (await kades.ask("gak jadi")).text
    assert "Sumber:" in (await kades.ask("berapa biaya paspor?")).text  # a question again
    with harness.services.db.session() as session:
        assert session.scalar(select(Broadcast.id)) is None


async def test_a_command_pauses_the_emergency_report_so_no_nonsense_alert_goes_out(
        harness: Harness) -> None:
    """After /start mid-emergency, "mau ikut pelajaran desa" and the village's name were
    taken as the three answers and an urgent alert of nonsense went to the officers."""
    _demo(harness)
    officer = harness.emu.person("Petugas", user_id=990001)
    siti = harness.villager("Siti")
    menu = await siti.ask("/start")
    await siti.press(menu, label="Darurat")
    emergency = await siti.reply()
    await siti.press(emergency, label="Hubungi petugas sekarang")
    assert "(1/3)" in (await siti.reply()).text
    assert "Halo" in (await siti.ask("/start")).text
    waits = await siti.reply()
    assert "belum terkirim" in waits.text and _data(waits) == ["dt:k", "tf:cancel"]
    assert "desa" in (await siti.ask("mau ikut pelajaran desa")).text  # answered as a wish
    assert "nama desa" in (await siti.reply()).text
    await siti.ask("makasih")
    draft = _draft(harness, siti)
    assert draft.step == "e_where" and draft.location == ""
    await siti.press(waits, label="Lanjutkan laporan")
    assert "(1/3)" in (await siti.reply()).text
    assert not [e for e in harness.emu.world.bot_messages(officer.id) if "LP-" in e.text]


async def test_asking_to_join_the_village_is_not_taken_for_a_place(harness: Harness) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    await _at_offer_step(siti)
    await siti.ask("udah")  # (3/8) who offered it
    answer = await siti.ask("mau ikut pelajaran desa")
    assert "desa" in answer.text.lower()
    assert _draft(harness, siti).recruiter == ""


async def test_an_officer_who_types_batal_instead_of_a_note_saves_nothing(
        harness: Harness) -> None:
    from bot.core.storage.models import TipEvent
    from bot.domain.tips.submission import TipInput, submit

    _demo(harness)
    officer = harness.emu.person("Petugas", user_id=990001)
    tip = submit(harness.services.db, 424242, "Siti", TipInput(story="calo ke Kamboja"), 5)
    harness.services.wake_outbox()
    alert = await officer.reply()
    await officer.press(alert, data=f"tp:n:{tip.id}")
    assert "catatan" in (await officer.reply()).text.lower()
    assert "tidak ada yang disimpan" in (await officer.ask("batal")).text
    with harness.services.db.session() as session:
        kinds = list(session.scalars(select(TipEvent.kind).where(TipEvent.tip_id == tip.id)))
    assert "note" not in kinds


async def test_a_word_typed_at_the_consent_step_shows_its_buttons_again(
        harness: Harness) -> None:
    _demo(harness)
    siti = harness.villager("Siti")
    await _at_offer_step(siti)
    step = await siti.ask("udah")
    while "tf:consent:no" not in _data(step):
        await siti.press(step, data="tf:skip")
        step = await siti.reply()
    again = await siti.ask("tidak")
    assert "pilih salah satu tombol" in again.text.lower()
    assert "tf:consent:no" in _data(again) and "(8/8)" in again.text


async def test_a_topic_button_mid_report_pauses_it_so_the_pasted_advert_is_checked(
        harness: Harness) -> None:
    """"Cek tawaran kerja" at the recruiter step, then the advert: it became the recruiter."""
    _demo(harness)
    siti = harness.villager("Siti")
    menu = await siti.ask("/start")
    await _at_offer_step(siti)
    assert "(3/" in (await siti.ask("udah")).text
    await siti.press(menu, label="Cek tawaran kerja")
    await siti.reply()  # send me the offer
    waits = await siti.reply()
    assert "belum terkirim" in waits.text and "dt:k" in _data(waits)
    verdict = await siti.ask("Dicari admin online di Phnom Penh, gaji 15 juta, visa turis, tiket "
                             "ditanggung, berangkat minggu ini. WA 0812-0000-9999")
    assert "RISIKO" in verdict.text
    assert _draft(harness, siti).recruiter == ""
