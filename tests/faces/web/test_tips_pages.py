"""The tips pages: every triage action from the browser, and nothing of another office."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.core.storage.models import OutboxMessage, Tip, Village
from bot.domain.people import roles
from tests.faces.web.conftest import (
    MTR_OFFICER,
    REPORTER,
    TPI_ADMIN,
    TPI_OFFICER,
    Office,
    csrf_of,
    signed_in,
)


def _outbox_to(offices: Office, chat_id: int) -> list[str]:
    with offices.services.db.session() as session:
        return [row.payload for row in session.scalars(
            select(OutboxMessage).where(OutboxMessage.chat_id == chat_id)
            .order_by(OutboxMessage.id))]


def _tip(offices: Office, tip_id: int) -> Tip:
    with offices.services.db.session() as session:
        tip = session.get(Tip, tip_id)
        session.expunge(tip)
        return tip


async def test_every_triage_action_from_the_browser(server: TestServer, offices: Office) -> None:
    officer = await signed_in(server, offices.services.db, TPI_OFFICER)
    csrf = await csrf_of(officer)
    tip = f"/laporan/{offices.tpi_tip}"
    steps = [("claim", {}, "Anda menangani laporan ini"),
             ("note", {"text": "Cek nomor WA calo"}, "Catatan tersimpan"),
             ("question", {"text": "Kapan berangkat?"}, "Pertanyaan Anda sudah dikirim"),
             ("escalate", {"to": "police", "text": "ke Polda"}, "sudah diteruskan"),
             ("close", {"outcome": "followed_up"}, "sudah ditutup")]
    for action, fields, notice in steps:
        page = await officer.post(f"{tip}/{action}", data={"csrf": csrf, **fields})
        assert notice in await page.text(), action
    text = await page.text()
    assert "Cek nomor WA calo" in text and "Kapan berangkat?" in text and "Rina" in text
    assert _tip(offices, offices.tpi_tip).outcome == "followed_up"
    to_reporter = "\n".join(_outbox_to(offices, REPORTER))
    # claimed, question, escalated and closed reached the reporter's outbox; the note did not
    assert to_reporter.count("LP-") >= 4 and "Kapan berangkat?" in to_reporter
    assert "Cek nomor WA calo" not in to_reporter
    await officer.close()


async def test_an_officer_of_another_office_sees_and_does_nothing(server: TestServer,
                                                                  offices: Office) -> None:
    stranger = await signed_in(server, offices.services.db, MTR_OFFICER)
    code = _tip(offices, offices.tpi_tip).code
    assert code not in await (await stranger.get("/laporan?status=all")).text()
    page = await stranger.get(f"/laporan/{offices.tpi_tip}")
    assert page.status == 404 and "Pak Joko" not in await page.text()
    csrf = await csrf_of(stranger)
    for action, fields in (("claim", {}), ("close", {"outcome": "not_scam"}),
                           ("note", {"text": "x"}), ("block", {})):
        refused = await stranger.post(f"/laporan/{offices.tpi_tip}/{action}",
                                      data={"csrf": csrf, **fields}, allow_redirects=False)
        assert "gagal=forbidden" in refused.headers["Location"], action
    tip = _tip(offices, offices.tpi_tip)
    assert tip.status == "new" and tip.claimed_by is None
    assert (await stranger.get("/orang")).status == 403  # an officer, not an office admin
    await stranger.close()


async def test_the_reporter_is_named_only_with_consent(server: TestServer,
                                                       offices: Office) -> None:
    officer = await signed_in(server, offices.services.db, TPI_OFFICER)
    page = await (await officer.get(f"/laporan/{offices.tpi_tip}")).text()
    assert "Siti Rahayu" not in page and "anonim" in page
    with offices.services.db.session() as session:
        session.get(Tip, offices.tpi_tip).consent = True
    page = await (await officer.get(f"/laporan/{offices.tpi_tip}")).text()
    assert "Siti Rahayu" in page
    await officer.close()


async def test_queue_filters_and_search(server: TestServer, offices: Office) -> None:
    officer = await signed_in(server, offices.services.db, TPI_OFFICER)
    code = _tip(offices, offices.tpi_tip).code
    for query, shown in (("q=Joko", True), ("q=Lombok", False), ("status=closed", False),
                         ("mendesak=1", True), ("petugas=none", True), ("umur=168", False)):
        page = await (await officer.get(f"/laporan?{query}")).text()
        assert (code in page) is shown, query
    await officer.close()


async def test_people_page_invites_an_officer_with_a_qr_code(server: TestServer,
                                                             offices: Office) -> None:
    admin = await signed_in(server, offices.services.db, TPI_ADMIN)
    page = await (await admin.post("/orang/undang", data={
        "csrf": await csrf_of(admin, "/orang"), "role": "officer"})).text()
    assert "https://t.me/desabinaan_bot?start=inv_" in page and "<svg" in page
    token = page.split("start=inv_")[1].split('"')[0]
    redeemed = await asyncio.to_thread(roles.redeem, offices.services.db, token, 5009, "Agus")
    assert redeemed.ok and redeemed.role == "officer"
    await admin.close()


async def test_villages_only_of_ones_own_office(server: TestServer, offices: Office) -> None:
    db = offices.services.db
    with db.session() as session:
        tpi, mtr = (session.scalar(select(roles.Office.id).where(roles.Office.code == c))
                    for c in ("tpi", "mtr"))
        session.add_all([Village(code="21.01", name="Kelong", office_id=tpi),
                         Village(code="52.01", name="Senggigi", office_id=mtr)])
    officer = await signed_in(server, db, TPI_OFFICER)
    page = await (await officer.get("/desa")).text()
    assert "Kelong" in page and "Senggigi" not in page
    with db.session() as session:
        senggigi = session.scalar(select(Village.id).where(Village.name == "Senggigi"))
        kelong = session.scalar(select(Village.id).where(Village.name == "Kelong"))
    assert (await officer.get(f"/desa/{senggigi}")).status == 404
    chart = await officer.get(f"/desa/{kelong}/grafik.png")
    assert chart.content_type == "image/png" and (await chart.read())[:4] == b"\x89PNG"
    await officer.close()


async def test_an_official_sees_only_their_own_village(server: TestServer,
                                                       offices: Office) -> None:
    db = offices.services.db
    with db.session() as session:
        tpi = session.scalar(select(roles.Office.id).where(roles.Office.code == "tpi"))
        session.add_all([Village(code="21.01", name="Kelong", office_id=tpi),
                         Village(code="21.02", name="Mantang", office_id=tpi)])
    assert roles.redeem(db, roles.create_invite(db, "official", village_code="21.01"),
                        8801, "Pak Kades").ok
    official = await signed_in(server, db, 8801)
    page = await (await official.get("/desa")).text()
    assert "Kelong" in page and "Mantang" not in page
    with db.session() as session:
        mantang = session.scalar(select(Village.id).where(Village.name == "Mantang"))
        kelong = session.scalar(select(Village.id).where(Village.name == "Kelong"))
    assert (await official.get(f"/desa/{mantang}")).status == 404
    assert (await official.get("/laporan")).status == 403  # tips are for officers
    assert (await official.get(f"/laporan/{offices.tpi_tip}")).status == 403
    invite = await official.post(f"/desa/{kelong}/undang",
                                 data={"csrf": await csrf_of(official, "/desa")})
    assert invite.status == 403
    await official.close()
