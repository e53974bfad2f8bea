"""The seams a newcomer stumbled over in their first hour, one test each (issue 14)."""

from __future__ import annotations

import pytest

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
