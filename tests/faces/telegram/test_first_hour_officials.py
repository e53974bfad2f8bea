"""An official's first hour: scheduling, weekly quizzes, the welcome, linking a group (issue 14).

Split from test_first_hour_stumbles.py (the villagers' and officers' seams), one test each.
"""

from __future__ import annotations

import pytest

from bot.domain.people import roles
from bot.emulator import Person
from tests.auxil.harness import Harness


@pytest.fixture
def harness(harness_any_db: Harness) -> Harness:
    """Roles and quizzes are in the database: these run on SQLite and PostgreSQL."""
    return harness_any_db


def _villages(harness: Harness) -> None:
    from bot.domain.people.demo import DemoPeople, seed_demo

    assert seed_demo(harness.services.db, DemoPeople(990001, "Petugas", 990002))


async def _wita_official(harness: Harness) -> Person:
    """The official of the demo's WITA village (Lembah Hijau), joined by invite."""
    _villages(harness)
    token = roles.create_invite(harness.services.db, "official", village_code="99.02.01.0001")
    kades = harness.emu.person("Bu Kades")
    await kades.ask(f"/start inv_{token}")
    return kades


async def test_an_official_schedules_with_besok_jam_7_malam_in_the_villages_zone(
        harness: Harness) -> None:
    """Only "4-12-2026 19.00" was understood; the answer names the village's own zone."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from bot.core.formatting import format_datetime_local

    kades = await _wita_official(harness)
    menu = await kades.ask("/pelajaran")
    await kades.press(menu, label=menu.button_texts()[0])
    preview = await kades.reply()
    await kades.press(preview, label="Jadwalkan")
    prompt = await kades.reply()
    assert "besok jam 7 malam" in prompt.text
    confirmed = await kades.ask("besok jam 7 malam")
    tomorrow = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Makassar")) + timedelta(days=1))
    expected = tomorrow.replace(hour=19, minute=0, second=0, microsecond=0)
    assert format_datetime_local(expected, "Asia/Makassar") in confirmed.text
    assert confirmed.text.endswith("19.00 WITA.")
    past = await kades.ask("/pelajaran")
    await kades.press(past, label=past.button_texts()[0])
    await kades.press(await kades.reply(), label="Jadwalkan")
    await kades.reply()
    assert "sudah lewat" in (await kades.ask("1-1-2020 19.00")).text


async def test_weekly_quizzes_are_listed_paused_and_stopped(harness: Harness) -> None:
    """A weekly /kampanye could not be listed or stopped."""
    from sqlalchemy import select

    from bot.core.storage.models import Campaign

    kades = await _wita_official(harness)
    set_up = await kades.ask("/kampanye tiap Jumat jam 7 malam")
    assert "setiap Jumat pukul 19.00 WITA, 5 soal" in set_up.text and "/kampanye" in set_up.text
    listing = await kades.ask("/kampanye")
    assert "1. setiap Jumat pukul 19.00 WITA, 5 soal - berjalan" in listing.text
    assert listing.button_texts() == ["Jeda 1", "Hentikan 1"]
    other = harness.emu.person("Pak Kades", user_id=990002)  # official of another village
    other.mark = harness.emu.last_seq()
    await other.press(listing, data=listing.buttons[0][1]["callback_data"])  # forged stop
    await harness.emu.wait_for(lambda: [e for e in harness.emu.world.transcript
                                        if e.direction == "answer" and e.seq > other.mark])
    with harness.services.db.session() as session:
        assert session.scalar(select(Campaign.active)) is True
    await kades.press(listing, label="Jeda 1")
    paused = await kades.reply()
    assert "Dijeda" in paused.text and "dijeda" in paused.text.split("\n")[-2]
    with harness.services.db.session() as session:
        assert session.scalar(select(Campaign.active)) is False
    await kades.press(paused, label="Hentikan 1")
    stopped = await kades.reply()
    assert "Dihentikan" in stopped.text and "belum punya kuis mingguan" in stopped.text
    with harness.services.db.session() as session:
        assert session.scalar(select(Campaign.id)) is None


async def test_the_officials_welcome_names_the_village_and_the_next_steps(
        harness: Harness) -> None:
    """It said only "Peran Anda sudah terdaftar", with no village and no next step."""
    _villages(harness)
    token = roles.create_invite(harness.services.db, "official", village_code="99.02.01.0001")
    kades = harness.emu.person("Bu Kades")
    welcome = (await kades.ask(f"/start inv_{token}")).text
    assert "Lembah Hijau (DEMO)" in welcome
    assert "https://t.me/desabinaan_bot?startgroup=hubungkan" in welcome
    assert "/pelajaran" in welcome and "/kampanye" in welcome


async def test_added_to_a_group_the_bot_says_how_to_link_it_and_the_link_links(
        harness: Harness) -> None:
    """The bot said nothing when added; the startgroup link now links the group at once."""
    _villages(harness)
    token = roles.create_invite(harness.services.db, "official", village_code="99.02.01.0001")
    kades = harness.emu.person("Bu Kades")
    await kades.ask(f"/start inv_{token}")
    group = harness.emu.world.add_group("Grup Lembah Hijau")
    await harness.emu.add_bot_to_group(kades.user, group)
    greeting = await harness.emu.next_from_bot(group.id)
    assert "/hubungkan" in greeting.text and "pribadi" in greeting.text
    kades.mark = harness.emu.last_seq()
    await harness.emu.send_text(kades.user, "/start@desabinaan_bot hubungkan", group)
    linked = await kades.reply(chat=group)
    assert "terhubung dengan Lembah Hijau (DEMO)" in linked.text
