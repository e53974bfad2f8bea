"""The Campaigns pages: the office sees its campaigns, gives verdicts; other offices cannot."""

from __future__ import annotations

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.core.storage.models import CampaignEvent, OfferCampaign, Office, OutboxMessage, Village
from bot.domain.campaigns.checks import observe
from bot.domain.campaigns.store import Arrival
from tests.faces.web.conftest import MTR_OFFICER, TPI_OFFICER, csrf_of, signed_in
from tests.faces.web.conftest import Office as Seeded

AD = ("LOKER ADMIN KAMBOJA gaji 15jt visa turis tiket ditanggung, tanpa pengalaman. "
      "WA 0812-7713-4402 {n}")
CHECKERS = (880001, 880002, 880003)


def _campaign(seeded: Seeded) -> int:
    """Three villagers of three Tanjungpinang villages check variants of one advert."""
    db, settings = seeded.services.db, seeded.services.settings
    with db.session() as session:
        tpi = session.scalar(select(Office).where(Office.code == "tpi"))
        villages = [Village(code=f"21.9.{i}", name=name, office_id=tpi.id)
                    for i, name in enumerate(("Kelong", "Mapur", "Numbing"))]
        session.add_all(villages)
        session.flush()
        ids = [v.id for v in villages]
    seen = [observe(db, settings, Arrival(AD.format(n="!" * i), "check", "high", chat, village))
            for i, (chat, village) in enumerate(zip(CHECKERS, ids, strict=True))]
    assert len({s.campaign_id for s in seen}) == 1
    return seen[0].campaign_id


async def test_the_office_sees_its_campaign_without_who_checked(server: TestServer,
                                                                offices: Seeded) -> None:
    campaign = _campaign(offices)
    officer = await signed_in(server, offices.services.db, TPI_OFFICER)
    listing = await (await officer.get("/kampanye")).text()
    assert f'href="/kampanye/{campaign}"' in listing and "Kelong" in listing
    page = await (await officer.get(f"/kampanye/{campaign}")).text()
    for word in ("LOKER ADMIN KAMBOJA", "+6281277134402", "Kelong", "Mapur", "Numbing",
                 "Penipuan terkonfirmasi", "Sah", "Belum pasti"):
        assert word in page, word
    assert all(str(chat) not in page for chat in CHECKERS)
    assert page.count('class="ev-check"') == 3  # the timeline has the three checks
    await officer.close()


async def test_a_verdict_is_the_same_as_the_buttons_and_is_audited(server: TestServer,
                                                                   offices: Seeded) -> None:
    campaign = _campaign(offices)
    db = offices.services.db
    officer = await signed_in(server, db, TPI_OFFICER)
    csrf = await csrf_of(officer, f"/kampanye/{campaign}")
    done = await officer.post(f"/kampanye/{campaign}/putusan/confirmed", data={"csrf": csrf})
    assert done.status == 200 and "3 warga" in await done.text()
    with db.session() as session:
        assert session.get(OfferCampaign, campaign).status == "confirmed"
        event = session.scalar(select(CampaignEvent).where(CampaignEvent.kind == "verdict"))
        assert event.text == "confirmed" and event.actor.startswith("officer:")
        told = set(session.scalars(select(OutboxMessage.chat_id)
                                   .where(OutboxMessage.dedupe_key.like("campaign:%followup%"))))
    assert told == set(CHECKERS)
    page = await (await officer.post(f"/kampanye/{campaign}/pelajaran",
                                     data={"csrf": csrf})).text()
    assert "3 desa" in page
    again = await (await officer.post(f"/kampanye/{campaign}/pelajaran",
                                      data={"csrf": csrf})).text()
    assert "sudah dikirim" in again  # once per campaign, as in the chat
    await officer.close()


async def test_another_office_and_forged_forms_are_refused(server: TestServer,
                                                          offices: Seeded) -> None:
    campaign = _campaign(offices)
    db = offices.services.db
    stranger = await signed_in(server, db, MTR_OFFICER)
    assert f"/kampanye/{campaign}" not in await (await stranger.get("/kampanye")).text()
    page = await stranger.get(f"/kampanye/{campaign}")
    assert page.status == 404 and "LOKER" not in await page.text()
    csrf = await csrf_of(stranger, "/kampanye")
    for action in ("putusan/confirmed", "pelajaran"):
        refused = await stranger.post(f"/kampanye/{campaign}/{action}", data={"csrf": csrf})
        assert refused.status == 403
    officer = await signed_in(server, db, TPI_OFFICER)
    forged = await officer.post(f"/kampanye/{campaign}/putusan/confirmed", data={})
    assert forged.status == 403  # no CSRF token
    with db.session() as session:
        assert session.get(OfferCampaign, campaign).status == "open"
        assert not session.scalar(select(CampaignEvent.id).where(CampaignEvent.kind == "verdict"))
    await stranger.close()
    await officer.close()
