"""Two regional bots in one deployment: each villager hears from the bot they wrote to.

Kantor Imigrasi Tanjungpinang uses the default bot, BP3MI NTB's office (Mataram) a bot of
its own; both run in one process on one database against one emulator that serves both
tokens, each with its own chats and flood limits, as Telegram does.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
from aiohttp import web
from sqlalchemy import select
from telegram import Update

from bot.core.bot_tokens import BotToken, webhook_secret_for
from bot.core.storage.models import Subscription, Village
from bot.domain.messaging import outbox
from bot.domain.people import roles
from bot.domain.programme import membership
from bot.domain.programme.national import assign_office_bot, send_national
from bot.domain.replies import Reply
from bot.domain.services import Services
from bot.emulator import Emulator
from bot.faces.telegram.fleet import Fleet, build_fleet, start_fleet, stop_fleet
from bot.faces.telegram.webhook import SECRET_HEADER, make_fleet_webhook_app, webhook_runner
from tests.auxil.paths import FIXTURES

TOKEN_KEPRI = "111111:kepri-token"
TOKEN_NTB = "222222:ntb-token"


@pytest.fixture
async def deployment(services: Services) -> AsyncIterator[tuple[Emulator, Emulator, Fleet]]:
    """The emulator with both tokens and the two bots polling it."""
    kepri = Emulator(token=TOKEN_KEPRI, bot_username="imigrasi_kepri_bot")
    ntb = kepri.add_bot(TOKEN_NTB, "bp3mi_ntb_bot")
    await kepri.start()
    settings = replace(services.settings, token=TOKEN_KEPRI, api_base_url=kepri.base_url,
                       regional_bots=(BotToken("ntb", TOKEN_NTB),))
    fleet = build_fleet(settings, services)
    await start_fleet(fleet)
    for app in fleet.apps.values():
        await app.updater.start_polling(poll_interval=0, timeout=5,
                                        allowed_updates=Update.ALL_TYPES)
    yield kepri, ntb, fleet
    await stop_fleet(fleet)
    await kepri.stop()
    assert not kepri.rejected and not ntb.rejected


def _village(services: Services, code: str) -> int:
    with services.db.session() as session:
        return session.scalar(select(Village.id).where(Village.code == code))


async def test_replies_campaign_and_outbox_each_through_the_villagers_own_bot(
        deployment: tuple[Emulator, Emulator, Fleet], services: Services) -> None:
    kepri, ntb, _fleet = deployment
    db = services.db
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "BP3MI NTB")
    from bot.domain.programme.village_import import import_villages

    import_villages(db, FIXTURES / "villages_fictional.csv")
    assert assign_office_bot(db, "mtr", "ntb") == 2  # its two villages follow the office
    siti = kepri.person("Siti")  # Bintan, writes to the Kepri bot
    budi = ntb.person("Budi")  # Lombok Barat, writes to the NTB bot

    for person, own, other in ((siti, kepri, ntb), (budi, ntb, kepri)):
        await own.send_text(person.user, "cara bikin paspor gimana")
        reply = await own.next_from_bot(person.id, timeout=20)
        assert "paspor" in reply.text.lower()
        assert other.world.by_chat[person.id] == []  # the other bot never spoke to them

    # Siti opens an NTB village's join link in the Kepri bot: she is sent to the NTB bot.
    await kepri.send_text(siti.user, "/start desa_52_01_01_2001")
    redirect = await kepri.wait_for(lambda: [e for e in kepri.world.bot_messages(siti.id)
                                             if "@bp3mi_ntb_bot" in e.text], timeout=20)
    assert "t.me/bp3mi_ntb_bot?start=desa_52_01_01_2001" in redirect[0].text
    with db.session() as session:
        assert session.query(Subscription).filter(Subscription.chat_id == siti.id).count() == 0

    membership.subscribe(db, siti.id, _village(services, "21.71.01.2001"))
    membership.subscribe(db, budi.id, _village(services, "52.01.01.2001"))
    lesson = next(iter(services.library.lessons))
    campaign = send_national(db, "lesson", {"lesson": lesson})
    assert campaign.recipients == 2 and campaign.per_bot == {None: 1, "ntb": 1}
    services.wake_deliveries()
    title = services.library.lessons[lesson].title
    for person, own, other in ((siti, kepri, ntb), (budi, ntb, kepri)):
        got = await own.wait_for(lambda p=person, o=own: [
            e for e in o.world.bot_messages(p.id) if title in e.text], timeout=20)
        assert len(got) == 1
        assert not [e for e in other.world.bot_messages(person.id) if title in e.text]

    with db.session() as session:  # a message the domain queues for Budi, e.g. a tip's outcome
        outbox.enqueue(session, "test:budi", budi.id, Reply("Laporan Anda sudah ditutup."))
    services.wake_outbox()
    await ntb.wait_for(lambda: [e for e in ntb.world.bot_messages(budi.id)
                                if "ditutup" in e.text], timeout=20)
    assert not [e for e in kepri.world.transcript if "ditutup" in e.text]
    assert kepri.stats["429"] == 0 and ntb.stats["429"] == 0


async def test_each_bot_has_its_webhook_path_and_secret(
        deployment: tuple[Emulator, Emulator, Fleet]) -> None:
    kepri, ntb, fleet = deployment
    budi = ntb.person("Budi")
    runner = webhook_runner(make_fleet_webhook_app(fleet, "s3cret"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    update = {"update_id": 900001, "message": {
        "message_id": 1, "date": int(time.time()), "text": "cara bikin paspor gimana",
        "chat": {"id": budi.id, "type": "private", "first_name": "Budi"},
        "from": {"id": budi.id, "is_bot": False, "first_name": "Budi"}}}
    own = webhook_secret_for("s3cret", "ntb")
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            wrong = [await client.post(path, json=update, headers={SECRET_HEADER: secret})
                     for path, secret in (("/telegram/ntb", "s3cret"), ("/telegram", own),
                                          (f"/telegram/{TOKEN_NTB}", own))]
            assert [r.status_code for r in wrong] == [403, 403, 404]
            right = await client.post("/telegram/ntb", json=update,
                                      headers={SECRET_HEADER: own})
            assert right.status_code == 200
        # The answer rides on the webhook's 200 (webhook_answer.py), for this chat.
        answer = right.json()
        assert answer["method"] == "sendMessage" and answer["chat_id"] == str(budi.id)
        assert "paspor" in answer["text"].lower() and kepri.world.by_chat[budi.id] == []
    finally:
        await runner.cleanup()


async def test_the_dashboard_is_given_every_bots_username_by_key(
        deployment: tuple[Emulator, Emulator, Fleet]) -> None:
    """The dashboard makes join links and invites for every region's villages and offices."""
    from bot.faces.telegram.app import bot_names

    _kepri, _ntb, fleet = deployment
    names = bot_names(fleet.primary)
    assert names("ntb") == "bp3mi_ntb_bot"
    assert names(None) == names("default") == "imigrasi_kepri_bot"
    assert names("merged-away") == "imigrasi_kepri_bot"  # a key no bot has: the default bot


async def test_a_group_linked_through_the_wrong_bot_is_refused_with_the_right_bot(
        deployment: tuple[Emulator, Emulator, Fleet], services: Services) -> None:
    """Linked through the Kepri bot, an NTB village's group would never get a lesson."""
    from bot.core.storage.models import LinkedGroup
    from bot.domain.programme.village_import import import_villages

    kepri, _ntb, _fleet = deployment
    db = services.db
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "BP3MI NTB")
    import_villages(db, FIXTURES / "villages_fictional.csv")
    assign_office_bot(db, "mtr", "ntb")
    kades = kepri.person("Bu Kades")
    token = roles.create_invite(db, "official", village_code="52.01.01.2001")
    assert roles.redeem(db, token, kades.id, "Bu Kades").ok
    group = kepri.world.add_group("Grup Desa Lombok")
    await kepri.add_bot_to_group(kades.user, group, as_admin=True)
    await kepri.send_text(kades.user, "/hubungkan", group)
    refused = await kepri.wait_for(lambda: [e for e in kepri.world.bot_messages(group.id)
                                            if "@bp3mi_ntb_bot" in e.text], timeout=20)
    assert "t.me/bp3mi_ntb_bot?startgroup=hubungkan" in refused[0].text
    assert "/hubungkan" in refused[0].text
    with db.session() as session:
        assert session.scalar(select(LinkedGroup.id)) is None


async def test_a_reporters_photo_reaches_an_officer_served_by_another_bot(
        deployment: tuple[Emulator, Emulator, Fleet], services: Services) -> None:
    """Telegram's file ids are per bot: sent by its id through the Kepri bot, the screenshot
    Budi sent to the NTB bot was refused and the officer got the alert without evidence."""
    from bot.core.bot_tokens import SPEAKING_BOT
    from bot.domain.tips.submission import TipInput, submit

    kepri, ntb, _fleet = deployment
    db = services.db
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    rina = kepri.person("Rina")
    assert roles.redeem(db, roles.create_invite(db, "officer", office_code="tpi"),
                        rina.id, "Rina").ok
    budi = ntb.person("Budi")
    screenshot = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
    file_id = ntb.world.store_file(screenshot)  # what Budi's photo is to the NTB bot
    speaking = SPEAKING_BOT.set("ntb")  # as the Telegram face sets it for Budi's update
    try:
        tip = submit(db, budi.id, "Budi", TipInput(
            story="Tawaran kerja admin di Kamboja", timing="soon",
            media=[("photo", file_id, "iklan")]))
    finally:
        SPEAKING_BOT.reset(speaking)
    services.wake_outbox()
    photos = await kepri.wait_for(lambda: [e for e in kepri.world.bot_messages(rina.id)
                                           if e.method == "sendPhoto"], timeout=20)
    sent = photos[0].message["photo"][-1]["file_id"]
    assert kepri.world.files[sent] == screenshot  # the same bytes, uploaded by the Kepri bot
    assert tip.code in photos[0].message.get("caption", "")
    assert photos[0].params.get("protect_content") is True
    assert ntb.world.by_chat[rina.id] == []
