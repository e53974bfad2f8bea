"""The People page's audit log has every kind of event, not only tips', and no reporter."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.core.storage.models import Officer
from bot.domain.campaigns.verdicts import give_verdict
from bot.domain.people import roles
from bot.domain.tips import triage
from tests.faces.web.conftest import MTR_OFFICER, TPI_ADMIN, TPI_OFFICER, csrf_of, signed_in
from tests.faces.web.conftest import Office as Seeded
from tests.faces.web.test_campaign_pages import _campaign

NEWCOMER = 5099


async def test_the_audit_log_shows_people_sign_ins_tips_and_verdicts(server: TestServer,
                                                                    offices: Seeded) -> None:
    db = offices.services.db
    admin = await signed_in(server, db, TPI_ADMIN)
    csrf = await csrf_of(admin, "/orang")
    page = await (await admin.post("/orang/undang", data={"csrf": csrf, "role": "officer"})).text()
    token = page.split("start=inv_")[1].split('"')[0]
    assert roles.redeem(db, token, NEWCOMER, "Agus Baru").ok
    newcomer = await signed_in(server, db, NEWCOMER)
    await newcomer.post("/keluar", data={"csrf": await csrf_of(newcomer)})
    await asyncio.to_thread(triage.claim, db, TPI_OFFICER, offices.tpi_tip)
    await asyncio.to_thread(triage.add_note, db, TPI_OFFICER, offices.tpi_tip, "rahasia catatan")
    await asyncio.to_thread(triage.block_reporter, db, TPI_OFFICER, offices.tpi_tip)
    campaign = await asyncio.to_thread(_campaign, offices)
    await asyncio.to_thread(give_verdict, db, TPI_OFFICER, campaign, "confirmed")
    with db.session() as session:
        officer_id = session.scalar(select(Officer.id).where(Officer.telegram_id == NEWCOMER))
    await admin.post(f"/orang/petugas/{officer_id}/cabut", data={"csrf": csrf})

    log = (await (await admin.get("/orang")).text()).split('id="audit"')[1]
    for seen in ("membuat undangan", "bergabung lewat undangan", "masuk ke dasbor",
                 "keluar dari dasbor", "mencabut peran", "mengambil laporan", "menulis catatan",
                 "memblokir pelapor", "memberi putusan: Penipuan terkonfirmasi",
                 f'href="/kampanye/{campaign}"', "Bu Admin", "Rina", "Agus Baru"):
        assert seen in log, seen
    assert "Siti Rahayu" not in log and "rahasia catatan" not in log  # no reporter, no texts
    await admin.close()
    await newcomer.close()

    stranger = await signed_in(server, db, MTR_OFFICER)  # the log is for office admins only
    assert (await stranger.get("/orang")).status == 403
    await stranger.close()
