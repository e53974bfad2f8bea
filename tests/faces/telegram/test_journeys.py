"""Dead ends met walking each role's journey from a fresh database, one test each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.core.storage.models import Broadcast
from bot.domain.programme.broadcasts import release_scheduled
from tests.auxil.harness import Harness


def _demo(harness: Harness) -> None:
    from bot.domain.people.demo import DemoPeople, seed_demo

    assert seed_demo(harness.services.db, DemoPeople(990001, "Petugas", 990002))


async def test_a_scheduled_lesson_can_be_cancelled_before_it_goes(harness: Harness) -> None:
    """"Dijadwalkan pada ..." had no way back: a wrong day sent the lesson anyway."""
    _demo(harness)
    kades = harness.emu.person("Pak Kades", user_id=990002)
    menu = await kades.ask("/pelajaran")
    await kades.press(menu, label=menu.button_texts()[0])
    preview = await kades.reply()
    await kades.press(preview, label="Jadwalkan")
    await kades.reply()
    scheduled = await kades.ask("4-12-2037 19.00")
    assert "Dijadwalkan" in scheduled.text
    await kades.press(scheduled, label="Batalkan jadwal ini")
    assert "tidak akan dikirim" in (await kades.reply()).text
    assert release_scheduled(harness.services.db, datetime(2038, 1, 1, tzinfo=UTC)) == []
    with harness.services.db.session() as session:
        assert list(session.scalars(select(Broadcast.status))) == ["cancelled"]
    await kades.press(scheduled, label="Batalkan jadwal ini")  # twice: told, nothing else
    toast = await harness.emu.next_from_bot(kades.id, kades.mark, 5, ("answer",))
    assert "tidak bisa dibatalkan" in toast.params["text"]


async def test_a_villager_cannot_cancel_an_officials_schedule(harness: Harness) -> None:
    from bot.domain.programme.broadcasts import create

    _demo(harness)
    with harness.services.db.session() as session:
        from bot.core.storage.models import Village

        village_id = session.scalars(select(Village.id)).first()
    broadcast_id = create(harness.services.db, village_id, "lesson", {"lesson": "bpjs"}, 990002,
                          scheduled_for=datetime(2037, 12, 4, 12, tzinfo=UTC))
    siti = harness.villager("Siti")
    welcome = await siti.ask("/start")
    await siti.press(welcome, data=f"pc:{broadcast_id}")  # forged
    await harness.emu.next_from_bot(siti.id, siti.mark, 5, ("answer",))
    with harness.services.db.session() as session:
        assert session.get(Broadcast, broadcast_id).status == "scheduled"


async def test_private_commands_typed_in_the_village_group_point_to_the_private_chat(
        harness: Harness) -> None:
    """/status in the group listed one's report codes for all to read; /desa there made the
    next private message a village name; /start there said nothing."""
    from bot.domain.tips.submission import TipInput, submit

    _demo(harness)
    siti = harness.villager("Siti")
    tip = submit(harness.services.db, siti.id, "Siti", TipInput(story="calo ke Kamboja"), 5)
    group = harness.emu.world.add_group("Grup Desa Sukamaju")
    group.members[siti.id] = "member"
    await harness.emu.add_bot_to_group(siti.user, group)
    await siti.reply(chat=group)  # the bot's hello
    for command in ("/status", "/desa", "/start", "/berhenti"):
        siti.mark = harness.emu.last_seq()
        await harness.emu.send_text(siti.user, command, group)
        answer = await siti.reply(chat=group)
        assert tip.code not in answer.text and "pribadi" in answer.text, command
        assert answer.buttons[0][0]["url"].startswith("https://t.me/"), command
    assert "Sumber:" in (await siti.ask("berapa biaya paspor?")).text  # not a village name


async def test_an_officer_cannot_list_tips_in_a_village_group(harness: Harness) -> None:
    """/laporan in the village group listed the open tips there, and "Buka" opened them."""
    from bot.core.storage.models import Office
    from bot.domain.tips.submission import TipInput, submit

    _demo(harness)
    officer = harness.emu.person("Petugas", user_id=990001)
    tip = submit(harness.services.db, 424242, "Siti", TipInput(story="calo ke Kamboja"), 5)
    village_group = harness.emu.world.add_group("Grup Desa Sukamaju")
    office_group = harness.emu.world.add_group("Petugas Kantor DEMO")
    with harness.services.db.session() as session:
        session.scalars(select(Office)).first().group_chat_id = office_group.id
    for group in (village_group, office_group):
        group.members[officer.id] = "member"
        await harness.emu.add_bot_to_group(officer.user, group)
        await officer.reply(chat=group)  # the bot's hello
    officer.mark = harness.emu.last_seq()
    await harness.emu.send_text(officer.user, "/laporan", village_group)
    refused = await officer.reply(chat=village_group)
    assert tip.code not in refused.text and "grup desa" in refused.text
    officer.mark = harness.emu.last_seq()
    await harness.emu.send_text(officer.user, "/laporan", office_group)
    assert tip.code in (await officer.reply(chat=office_group)).text


@pytest.mark.parametrize("typed", ["stop kirim notif", "/berhenti"])
async def test_stopping_notifications_one_never_received_is_answered_kindly(
        harness: Harness, typed: str) -> None:
    """"stop kirim notif" from someone not subscribed got "I will stop sending you lessons"
    (nothing was sent), and /berhenti a bare "you are not receiving broadcasts"."""
    _demo(harness)
    siti = harness.villager("Siti")
    answer = await siti.ask(typed)
    assert "Tidak ada yang perlu dihentikan" in answer.text
    assert "Bisukan" in answer.text and "/desa" in answer.text  # where they come from, way in
    assert "Setelah ini saya berhenti" not in answer.text


async def test_stopping_notifications_when_subscribed_stops_them(harness: Harness) -> None:
    from bot.core.storage.models import Subscription, Village
    from bot.domain.programme.membership import subscribe

    _demo(harness)
    siti = harness.villager("Siti")
    with harness.services.db.session() as session:
        village_id = session.scalars(select(Village.id)).first()
    assert subscribe(harness.services.db, siti.chat_id, village_id)
    answer = await siti.ask("stop kirim notif")
    assert "Tidak ada yang perlu dihentikan" not in answer.text
    with harness.services.db.session() as session:
        assert not session.scalar(select(Subscription.active).where(
            Subscription.chat_id == siti.chat_id))


async def test_statistik_counts_the_linked_group_and_its_members(harness: Harness) -> None:
    """"Pelanggan: 0" for a village whose group of villagers receives every lesson."""
    from bot.domain.programme.membership import link_group

    _demo(harness)
    kades = harness.emu.person("Pak Kades", user_id=990002)
    group = harness.emu.world.add_group("Grup Desa Sukamaju")
    for name in ("Siti", "Budi", "Ani"):
        group.members[harness.villager(name).id] = "member"
    group.members[kades.id] = "creator"
    await harness.emu.add_bot_to_group(kades.user, group)
    await kades.reply(chat=group)  # the bot's hello
    assert not isinstance(link_group(harness.services.db, group.id, kades.id, True), str)
    kades.mark = harness.emu.last_seq()
    stats = await kades.ask("/statistik")
    assert "Pelanggan lewat obrolan pribadi: 0 orang" in stats.text
    assert "Grup desa terhubung: 1 (5 anggota)" in stats.text  # three villagers, kades, bot


async def test_going_home_after_work_is_not_answered_as_an_emergency(harness: Harness) -> None:
    """"pulang" got the forced-scamming answer with "Contact an officer now"; a clear
    emergency still gets the hotlines at once."""
    siti = harness.villager("Siti")
    for everyday in ("kalo udah sore pulang", "pulang"):
        reply = await siti.ask(everyday)
        assert "Hubungi petugas sekarang" not in reply.button_texts(), everyday
        assert "110" not in reply.text, everyday
    asked = await siti.ask("pulang")
    if "Maksud Anda pulang dari luar negeri" in asked.text:  # the NLU called it an emergency
        await siti.press(asked, label="Ya, ada yang butuh bantuan untuk pulang")
        assert "Hubungi petugas sekarang" in (await siti.reply()).button_texts()
    urgent = await siti.ask("tolong saya disekap di kamboja")
    assert "110" in urgent.text and "Hubungi petugas sekarang" in urgent.button_texts()


async def test_after_claiming_a_tip_the_next_steps_are_under_the_confirmation(
        harness: Harness) -> None:
    """"Anda menangani laporan ..." had no buttons: the officer's question typed next got a
    content answer, not the reporter."""
    from bot.domain.tips.submission import TipInput, submit

    _demo(harness)
    siti = harness.villager("Siti")
    submit(harness.services.db, siti.id, "Siti", TipInput(story="calo ke Kamboja"), 5)
    officer = harness.emu.person("Petugas", user_id=990001)
    listing = await officer.ask("/laporan")
    await officer.press(listing, label=listing.button_texts()[0])
    card = await officer.reply()
    await officer.press(card, label="Saya tangani")
    claimed = await officer.reply()
    while "Anda menangani laporan" not in claimed.text:  # the alert may come first
        claimed = await officer.reply()
    assert {"Tanya pelapor", "Catatan", "Teruskan", "Tutup"} <= set(claimed.button_texts())
    await officer.press(claimed, label="Tanya pelapor")
    assert "pertanyaan" in (await officer.reply()).text.lower()
