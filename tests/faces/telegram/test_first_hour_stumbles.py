"""The seams a newcomer stumbled over in their first hour, one test each (issue 14)."""

from __future__ import annotations

import pytest

from bot.domain.people import roles
from bot.emulator import Person
from tests.auxil.harness import Harness


@pytest.fixture
def harness(harness_any_db: Harness) -> Harness:
    """Roles and reports are in the database: these run on SQLite and PostgreSQL."""
    return harness_any_db


def _villages(harness: Harness) -> None:
    from bot.domain.people.demo import DemoPeople, seed_demo

    assert seed_demo(harness.services.db, DemoPeople(990001, "Petugas", 990002))


async def test_help_shows_each_person_the_commands_of_their_role(harness: Harness) -> None:
    """/bantuan listed /start, /bantuan and /menu only, for everybody."""
    _villages(harness)
    villager = harness.villager()
    text = (await villager.ask("/bantuan")).text
    assert "/lapor" in text and "/status" in text and "/desa" in text
    assert "/laporan" not in text and "/pelajaran" not in text
    official = harness.emu.person("Pak Kades", user_id=990002)
    text = (await official.ask("/bantuan")).text
    assert "/pelajaran" in text and "/kampanye" in text and "/hubungkan" in text
    assert "/laporan" not in text
    officer = harness.emu.person("Petugas", user_id=990001)
    text = (await officer.ask("/bantuan")).text
    assert "/laporan" in text and "/pelajaran" not in text


async def test_status_alone_lists_ones_own_reports(harness: Harness) -> None:
    """/status without a code asked for a code nobody remembers."""
    _villages(harness)
    harness.emu.person("Petugas", user_id=990001)  # the demo officer, who gets the alert
    siti, budi = harness.villager("Siti"), harness.villager("Budi")
    assert "belum mengirim laporan" in (await siti.ask("/status")).text
    code = await _quick_report(siti)
    listing = (await siti.ask("/status")).text
    assert code in listing and "menunggu petugas" in listing
    assert code not in (await budi.ask("/status")).text  # only one's own


async def _quick_report(siti: Person) -> str:
    import re

    await siti.ask("/lapor")
    step = await siti.ask("Ada calo menawari kerja di Kamboja lewat Bangkok")
    while "tf:consent:no" not in str(step.buttons):
        await siti.press(step, data=_skip_or_first(step))
        step = await siti.reply()
    await siti.press(step, data="tf:consent:no")
    summary = await siti.reply()
    await siti.press(summary, data="tf:send")
    return re.search(r"LP-[A-Z0-9]{8}", (await siti.reply()).text).group(0)


def _skip_or_first(step) -> str:  # type: ignore[no-untyped-def]
    data = [b["callback_data"] for row in step.buttons for b in row]
    return "tf:skip" if "tf:skip" in data else data[0]


async def _question_for(harness: Harness, siti: Person, officer: Person) -> str:
    """Siti reports; the officer asks her a question through the bot; she receives it."""
    officer.mark = harness.emu.last_seq()
    code = await _quick_report(siti)
    alert = await officer.reply()
    await officer.press(alert, data=_data(alert, "tp:q:"))
    await officer.reply()
    siti.mark = harness.emu.last_seq()
    officer.mark = harness.emu.last_seq()
    await officer.say("Kapan calo itu datang ke desa?")
    await officer.reply()  # "Your question was sent to the reporter."
    question = await siti.reply()
    assert "Kapan calo itu datang" in question.text and code in question.text
    return code


def _data(event, prefix: str) -> str:  # type: ignore[no-untyped-def]
    return next(b["callback_data"] for row in event.buttons for b in row
                if b["callback_data"].startswith(prefix))


async def test_a_relay_answer_typed_without_the_button_reaches_the_officer(
        harness: Harness) -> None:
    """Typing the answer instead of pressing "Jawab" lost it: the officer never got it."""
    _villages(harness)
    officer = harness.emu.person("Petugas", user_id=990001)
    siti = harness.villager("Siti")
    code = await _question_for(harness, siti, officer)
    offer = await siti.ask("Kemarin sore, pakai mobil hitam")
    assert code in offer.text and "jawaban" in offer.text.lower()
    officer.mark = harness.emu.last_seq()
    await siti.press(offer, data=_data(offer, "tr:s:"))
    assert "diteruskan ke petugas" in (await siti.reply()).text
    relayed = await officer.reply()
    assert "Kemarin sore, pakai mobil hitam" in relayed.text and code in relayed.text
    assert "Siti" not in relayed.text  # still anonymous
    # Answered now: her next question is answered as a question, not offered to the officer.
    assert "Sumber:" in (await siti.ask("cara bikin paspor gimana")).text


async def test_a_question_typed_while_an_officer_waits_is_still_answered(
        harness: Harness) -> None:
    """"No, it is another question" answers the held-back text; nothing goes to the officer."""
    _villages(harness)
    officer = harness.emu.person("Petugas", user_id=990001)
    siti = harness.villager("Siti")
    await _question_for(harness, siti, officer)
    offer = await siti.ask("cara bikin paspor gimana")
    officer.mark = harness.emu.last_seq()
    await siti.press(offer, data="tr:n")
    assert "Sumber:" in (await siti.reply()).text
    assert not [e for e in harness.emu.world.bot_messages(officer.id) if e.seq > officer.mark]


async def test_a_reply_to_the_officers_question_is_passed_on_at_once(harness: Harness) -> None:
    """Telegram's "reply" to the question's message needs no confirmation."""
    _villages(harness)
    officer = harness.emu.person("Petugas", user_id=990001)
    siti = harness.villager("Siti")
    code = await _question_for(harness, siti, officer)
    question = harness.emu.world.bot_messages(siti.id)[-1]
    officer.mark = harness.emu.last_seq()
    await harness.emu.send_text(siti.user, "Hari Senin", reply_to_message=question.message)
    assert "diteruskan ke petugas" in (await siti.reply()).text
    relayed = await officer.reply()
    assert "Hari Senin" in relayed.text and code in relayed.text


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x02\x80\x00\x00\x01\xe0" + bytes(40)


def _tip_before_any_officer(harness: Harness) -> str:
    """A tip with a village and a photo, stored while the office had no officer yet."""
    from sqlalchemy import select

    from bot.core.storage.models import Village
    from bot.domain.tips.submission import TipInput, submit

    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(harness.services.db, "mtr", "Kantor Imigrasi Mataram")
    from bot.domain.programme.village_import import import_villages
    from tests.auxil.paths import FIXTURES

    import_villages(harness.services.db, FIXTURES / "villages_fictional.csv")
    with harness.services.db.session() as session:
        village = session.scalar(select(Village).where(Village.code == "21.71.01.2001"))
        village_id, name = village.id, village.name
    harness.emu.person("Siti Rahayu", user_id=555001)  # the reporter hears of changes
    file_id = harness.emu.world.store_file(PNG)
    tip = submit(harness.services.db, 555001, "Siti Rahayu", TipInput(
        story="Calo menawari kerja di Kamboja", village_id=village_id,
        media=[("photo", file_id, "iklan")]))
    return f"{tip.code}|{name}"


async def test_an_officer_sees_a_tips_village_history_and_photo(harness: Harness) -> None:
    """/laporan showed `new`; the opened tip said "Desa: tidak diketahui", had no photo, no
    history; a tip filed before the officer existed never reached one with its photo."""
    code, village = _tip_before_any_officer(harness).split("|")
    token = roles.create_invite(harness.services.db, "officer", office_code="tpi")
    officer = harness.emu.person("Petugas")
    await officer.ask(f"/start inv_{token}")
    listing = await officer.ask("/laporan")
    assert code in listing.text and "menunggu petugas" in listing.text
    assert " new" not in listing.text
    await officer.press(listing, data=_data(listing, "tp:v:"))
    opened = await officer.reply()
    assert f"Desa: {village}" in opened.text and "Riwayat:" in opened.text
    assert "dilaporkan" in opened.text and "Siti" not in opened.text
    assert opened.params.get("protect_content") is True
    photo = await officer.reply()
    assert photo.method == "sendPhoto" and photo.params.get("protect_content") is True


async def test_escalation_says_plainly_when_nothing_was_sent(harness: Harness) -> None:
    """"Teruskan → Polri" changed the status, sent nothing, and said so nowhere."""
    code, _village = _tip_before_any_officer(harness).split("|")
    token = roles.create_invite(harness.services.db, "officer", office_code="tpi")
    officer = harness.emu.person("Petugas")
    await officer.ask(f"/start inv_{token}")
    listing = await officer.ask("/laporan")
    tip_id = _data(listing, "tp:v:").split(":")[2]
    await officer.press(listing, data=f"tp:e:{tip_id}:police")
    said = (await officer.reply()).text
    assert code in said and "tidak ada yang dikirim" in said and "--kind polisi" in said


async def test_escalation_sends_the_case_to_bp3mi_without_the_reporters_identity(
        harness: Harness) -> None:
    code, village = _tip_before_any_officer(harness).split("|")
    bp3mi_group = harness.emu.world.add_group("BP3MI Kepri")
    bp3mi_group.members[harness.emu.world.bot_user["id"]] = "member"
    roles.add_office(harness.services.db, "bp3mi-kepri", "BP3MI Kepulauan Riau", kind="bp3mi",
                     group_chat_id=bp3mi_group.id)
    token = roles.create_invite(harness.services.db, "officer", office_code="tpi")
    officer = harness.emu.person("Petugas")
    await officer.ask(f"/start inv_{token}")
    listing = await officer.ask("/laporan")
    tip_id = _data(listing, "tp:v:").split(":")[2]
    await officer.press(listing, data=f"tp:e:{tip_id}:bp3mi")
    said = (await officer.reply()).text
    assert "BP3MI Kepulauan Riau" in said and code in said
    case = await harness.emu.wait_for(lambda: harness.emu.world.bot_messages(bp3mi_group.id))
    text = case[0].text
    assert "Kantor Imigrasi Tanjungpinang" in text and code in text and village in text
    assert "Siti" not in text and "anonim" in text.lower()
    photos = await harness.emu.wait_for(lambda: [
        e for e in harness.emu.world.bot_messages(bp3mi_group.id) if e.method == "sendPhoto"])
    assert photos


async def test_the_bot_describes_itself_in_indonesian(harness: Harness) -> None:
    """setMyDescription / setMyShortDescription: what an empty chat and the profile show."""
    descriptions = await harness.emu.wait_for(
        lambda: harness.emu.world.descriptions if len(harness.emu.world.descriptions) == 2
        else None)
    assert "identitas Anda dirahasiakan" in descriptions["description"]
    assert len(descriptions["short_description"]) <= 120
    assert "aman" in descriptions["short_description"]


async def test_officer_alerts_and_relayed_messages_cannot_be_forwarded(
        harness: Harness) -> None:
    """protect_content on the alert, its photo, the question and the relayed answer."""
    _villages(harness)
    officer = harness.emu.person("Petugas", user_id=990001)
    siti = harness.villager("Siti")
    await _question_for(harness, siti, officer)
    question = harness.emu.world.bot_messages(siti.id)[-1]
    assert question.params.get("protect_content") is True
    alerts = [e for e in harness.emu.world.bot_messages(officer.id) if "LP-" in e.text]
    assert alerts and all(e.params.get("protect_content") is True for e in alerts)


async def test_the_emergency_path_asks_three_questions_and_alerts_at_once(
        harness: Harness) -> None:
    """It opened the eight-step offer form, prefilled with an earlier photo's caption, and
    said "identitas Anda dilindungi" whatever the reporter chose."""
    _villages(harness)
    officer = harness.emu.person("Petugas", user_id=990001)
    siti = harness.villager("Siti")
    siti.mark = harness.emu.last_seq()
    await harness.emu.send_photo(siti.user, PNG, caption="Lowongan admin Kamboja gaji 15 juta")
    await siti.reply()  # the offer checker's verdict; its caption must not leak below
    answer = await siti.ask("adik saya disekap di kamboja tolong")
    await siti.press(answer, data="tip:urgent")
    first = await siti.reply()
    assert "110" in first.text and "(1/3)" in first.text  # hotlines on the first screen
    assert "Sumber:" in first.text
    assert "(2/3)" in (await siti.ask("Sihanoukville, gedung perusahaan Golden")).text
    assert "(3/3)" in (await siti.ask("WA kakaknya 0812-0000-3333")).text
    officer.mark = harness.emu.last_seq()
    done = await siti.ask("dipukuli dan tidak boleh keluar")
    assert "Petugas sudah diberi tahu" in done.text and "LP-" in done.text
    alert = await officer.reply(timeout=5)
    assert alert.text.startswith("\U0001f6a8") and "Sihanoukville" in alert.text
    assert "0812-0000-3333" in alert.text and "dipukuli" in alert.text
    assert "Lowongan admin" not in alert.text and "Siti" not in alert.text
    assert not [e for e in harness.emu.world.bot_messages(siti.id) if "/8)" in e.text]


async def test_a_question_in_the_middle_of_a_report_is_answered_and_says_how_to_leave(
        harness: Harness) -> None:
    """After the daily limit every message got "Silakan pilih salah satu tombol." until
    /batal, "cara bikin paspor gmn" too."""
    _villages(harness)
    harness.emu.person("Petugas", user_id=990001)
    siti = harness.villager("Siti")
    await siti.ask("/lapor")
    step = await siti.ask("Ada calo menawari kerja di Kamboja lewat Bangkok")
    while "tf:at_risk:self" not in str(step.buttons):
        await siti.press(step, data="tf:skip")
        step = await siti.reply()
    siti.mark = harness.emu.last_seq()
    await siti.say("cara bikin paspor gmn")
    assert "Sumber:" in (await siti.reply()).text  # the question is answered
    note = await siti.reply()  # and the report waits, with the way back and the way out
    assert "belum terkirim" in note.text and "/batal" in note.text
    assert note.button_texts() == ["Lanjutkan laporan", "Batalkan laporan"]


async def test_after_the_daily_limit_the_report_is_kept_and_the_chat_goes_on(
        harness: Harness) -> None:
    from dataclasses import replace

    from bot.domain.tips.flow import Draft, save

    _villages(harness)
    harness.emu.person("Petugas", user_id=990001)
    siti = harness.villager("Siti")
    harness.app.bot_data["services"] = replace(
        harness.services, settings=replace(harness.services.settings, tip_daily_limit=0))
    save(harness.services.db, Draft(telegram_id=siti.id, step="confirm", story="calo"))
    assert "belum selesai" in (await siti.ask("/lapor")).text
    summary = await siti.reply()
    await siti.press(summary, data="tf:send")
    refused = await siti.reply()
    assert "tetap tersimpan" in refused.text and "/batal" in refused.text
    from bot.domain.content.numbers import emergency_numbers

    numbers = emergency_numbers()  # the hotlines come from the fact registry
    assert numbers["police"] in refused.text and numbers["kp2mi"] in refused.text
    siti.mark = harness.emu.last_seq()
    await siti.say("cara bikin paspor gmn")
    assert "Sumber:" in (await siti.reply()).text
    assert "belum terkirim" in (await siti.reply()).text


async def test_a_story_told_in_one_message_is_not_asked_for_again(harness: Harness) -> None:
    """"ada calo namanya ... 0812..." was followed by "(1/8) Apa yang terjadi?"."""
    _villages(harness)
    siti = harness.villager("Siti")
    story = ("mau lapor ada calo namanya Pak Joko nawarin kerja di Kamboja gaji 20 juta, "
             "WA 0812-0000-4444")
    step = await siti.ask(story)
    assert "Apa yang terjadi" not in step.text and "(2/" in step.text
    from bot.domain.tips.flow import load

    assert load(harness.services.db, siti.id).story == story


async def test_the_menus_report_button_starts_a_report(harness: Harness) -> None:
    """"Lapor calo / tawaran" showed a text instead of starting a report."""
    _villages(harness)
    siti = harness.villager("Siti")
    menu = await siti.ask("/start")
    await siti.press(menu, label="Lapor calo / tawaran")
    assert "Apa yang terjadi" in (await siti.reply()).text


async def test_the_menus_village_button_asks_for_the_village(harness: Harness) -> None:
    """"Daftar pelajaran desa" promised to ask for the village and did not."""
    _villages(harness)
    siti = harness.villager("Siti")
    menu = await siti.ask("/start")
    await siti.press(menu, label="Daftar pelajaran desa")
    await siti.reply()  # what joining means
    assert "nama desa" in (await siti.reply()).text.lower()
    choices = await siti.ask("lembah hijau")
    if not choices.buttons:  # the national list's matches come first, then the programme's
        choices = await siti.reply()
    assert any("Lembah Hijau" in label for label in choices.button_texts())


async def test_cancel_is_always_the_last_button_and_skip_right_above_it(
        harness: Harness) -> None:
    """"Lewati" and "Batalkan" changed places between steps; a report was cancelled."""
    _villages(harness)
    siti = harness.villager("Siti")
    await siti.ask("/lapor")
    step = await siti.ask("Ada calo menawari kerja di Kamboja lewat Bangkok")
    seen = 0
    while "tf:send" not in str(step.buttons):
        rows = [[b["callback_data"] for b in row] for row in step.buttons]
        assert rows[-1] == ["tf:cancel"], rows
        if "tf:skip" in str(rows):
            assert rows[-2] == ["tf:skip"], rows
        await siti.press(step, data="tf:skip" if "tf:skip" in str(rows) else rows[0][0])
        step = await siti.reply()
        seen += 1
    assert seen >= 6


async def test_an_unknown_command_is_answered_with_the_closest_one(harness: Harness) -> None:
    """"/lapr" and "/kuis_jadwal" got no reply at all: a typo looked like a bot that was down."""
    siti = harness.villager("Siti")
    typo = await siti.ask("/lapr")
    assert "tidak mengenal perintah /lapr" in typo.text and "Maksud Anda /lapor?" in typo.text
    unknown = await siti.ask("/jadwal_kuis_minggu_depan")
    assert "/bantuan" in unknown.text and "Maksud Anda" not in unknown.text
    assert "Apa yang terjadi" in (await siti.ask("/lapor")).text  # known ones still work
