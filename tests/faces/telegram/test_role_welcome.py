"""What an officer or official sees first, and which button a hurried reporter presses first."""

from __future__ import annotations

import pytest

from bot.domain.people.demo import DemoPeople, seed_demo
from tests.auxil.harness import Harness


@pytest.fixture
def harness(harness_any_db: Harness) -> Harness:
    """Roles live in the database: these run on SQLite and PostgreSQL."""
    assert seed_demo(harness_any_db.services.db, DemoPeople(990001, "Petugas", 990002))
    return harness_any_db


async def test_start_tells_officers_and_officials_where_their_tools_are(harness: Harness) -> None:
    """/start showed an officer only the villager's welcome, with no hint of /laporan."""
    officer = harness.emu.person("Petugas", user_id=990001)
    assert "terdaftar sebagai petugas" in (await officer.ask("/start")).text
    official = harness.emu.person("Pak Kades", user_id=990002)
    assert "terdaftar sebagai perangkat desa" in (await official.ask("/start")).text
    assert "terdaftar sebagai" not in (await harness.villager().ask("/start")).text
    help_text = (await officer.ask("/bantuan")).text
    assert "/dasbor" in help_text and "/kampanye_iklan" in help_text and "/blokir" in help_text


async def test_the_first_consent_button_keeps_the_reporter_hidden(harness: Harness) -> None:
    """Identity is protected by default: pressing the first button must not reveal it."""
    siti = harness.villager("Siti")
    await siti.ask("/lapor")
    step = await siti.ask("Ada calo menawari kerja di Kamboja lewat Bangkok")
    while "tf:consent:" not in str(step.buttons):
        skip = [b for row in step.buttons for b in row if b.get("callback_data") == "tf:skip"]
        await siti.press(step, data=skip[0]["callback_data"] if skip
                         else step.buttons[0][0]["callback_data"])
        step = await siti.reply()
    assert step.buttons[0][0]["callback_data"] == "tf:consent:no"
    assert step.buttons[0][0]["text"] == "Tidak, rahasiakan saya"


async def test_a_villager_may_retype_their_village_after_a_miss(harness: Harness) -> None:
    """After a spelling that matched no programme village, the retyped name got 'I cannot help'."""
    siti = harness.villager("Siti")
    await siti.ask("/desa")
    siti.mark = harness.emu.last_seq()
    await siti.say("smkjzq")  # like no village at all ("sukamju" is found: a typo)
    assert "ketik lagi" in (await siti.reply()).text.lower()
    choices = await siti.ask("sukamju")
    while not choices.buttons:
        choices = await siti.reply()
    assert any("Sukamaju (DEMO)" in b["text"] for row in choices.buttons for b in row)


async def test_a_question_after_a_missed_village_is_answered(harness: Harness) -> None:
    """The retry listens for a village name once; a question in its place is still answered."""
    siti = harness.villager("Siti")
    await siti.ask("/desa")
    assert "ketik lagi" in (await siti.ask("qwxz zzkq")).text.lower()
    answer = await siti.ask("berapa biaya bikin paspor")
    assert "Rp" in answer.text and "tidak menemukan" not in answer.text
