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
