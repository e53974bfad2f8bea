"""With regional bots, the dashboard's join links and invites name the bot that serves them.

A villager who subscribes through another bot never gets the village's lessons (Telegram lets
only a bot the person started write to them), and an officer invited through another bot never
hears the office's tips.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.core.storage.models import Office, Village
from bot.faces.web.server import make_web_app
from tests.faces.web.conftest import TPI_ADMIN, csrf_of, signed_in
from tests.faces.web.conftest import Office as Seeded

NAMES = {None: "desabinaan_bot", "kepri": "desa_kepri_bot", "ntb": "desa_ntb_bot"}
KELONG, SENGGIGI = "AID.24819", "AID.51504"


@pytest.fixture
async def regional(offices: Seeded) -> AsyncIterator[TestServer]:
    srv = TestServer(make_web_app(offices.services, lambda key: NAMES.get(key, NAMES[None])))
    await srv.start_server()
    yield srv
    await srv.close()


async def test_links_and_invites_go_through_the_village_or_office_bot(
        regional: TestServer, offices: Seeded) -> None:
    db = offices.services.db
    admin = await signed_in(regional, db, TPI_ADMIN)
    csrf = await csrf_of(admin, "/desa")
    for code in (KELONG, SENGGIGI):
        added = await admin.post("/desa/tambah", data={"csrf": csrf, "code": code},
                                 allow_redirects=False)
        assert added.status == 303
    with db.session() as session:
        session.scalar(select(Office).where(Office.code == "tpi")).bot_key = "kepri"
        session.scalar(select(Village).where(Village.code == SENGGIGI)).bot_key = "ntb"
        ids = {v.code: v.id for v in session.scalars(select(Village))}
    kelong = await (await admin.get(f"/desa/{ids[KELONG]}")).text()
    assert "https://t.me/desa_kepri_bot?start=desa_" in kelong  # the office's bot
    assert "t.me/desabinaan_bot" not in kelong
    senggigi = await (await admin.get(f"/desa/{ids[SENGGIGI]}")).text()
    assert "https://t.me/desa_ntb_bot?start=desa_" in senggigi  # the village's own bot
    invite = await (await admin.post(f"/desa/{ids[SENGGIGI]}/undang",
                                     data={"csrf": csrf})).text()
    assert "https://t.me/desa_ntb_bot?start=inv_" in invite
    officer = await (await admin.post("/orang/undang", data={"csrf": csrf})).text()
    assert "https://t.me/desa_kepri_bot?start=inv_" in officer
    await admin.close()
