"""The Programme page: the calendar in the village's own days, approvals, safe CSV exports."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.core.storage.models import Broadcast, Office, OutboxMessage, Village, utcnow
from bot.domain.messaging import star_spend
from bot.domain.messaging.paid_broadcast import month_of
from bot.domain.people import roles
from bot.domain.programme.approvals import propose
from bot.domain.tips.submission import TipInput, submit
from bot.faces.web.server import make_web_app
from tests.faces.web.conftest import MTR_OFFICER, TPI_OFFICER, csrf_of, signed_in
from tests.faces.web.conftest import Office as Seeded

OFFICIAL = 8801


def _villages(seeded: Seeded) -> tuple[int, int]:
    db = seeded.services.db
    with db.session() as session:
        tpi, mtr = (session.scalar(select(Office).where(Office.code == c)) for c in ("tpi", "mtr"))
        tpi.allow_custom_messages = True
        kelong = Village(code="21.01", name="Kelong", timezone="Asia/Makassar", office_id=tpi.id)
        senggigi = Village(code="52.01", name="Senggigi", office_id=mtr.id)
        session.add_all([kelong, senggigi])
        session.flush()
        return kelong.id, senggigi.id


async def test_calendar_uses_the_villages_own_day(server: TestServer, offices: Seeded) -> None:
    kelong, senggigi = _villages(offices)
    db = offices.services.db
    with db.session() as session:  # Friday 4 Dec 00.30 WITA is still Thursday in UTC
        session.add_all([
            Broadcast(village_id=kelong, kind="lesson", content=json.dumps({"lesson": "x"}),
                      status="scheduled", scheduled_for=datetime(2026, 12, 3, 16, 30,
                                                                 tzinfo=UTC)),
            Broadcast(village_id=senggigi, kind="quiz", content=json.dumps({"question": "y"}),
                      status="done", created_at=datetime(2026, 12, 2, 5, tzinfo=UTC))])
    officer = await signed_in(server, db, TPI_OFFICER)
    page = await (await officer.get("/program?bulan=2026-12")).text()
    friday = page.split('<span class="day"><span class="long">Jumat, </span>4</span>')[1]
    assert "Kelong" in friday.split('<span class="day">')[0]
    assert "00.30" in friday.split('<span class="day">')[0]
    assert "Senggigi" not in page  # another office's village
    await officer.close()


async def test_an_officer_approves_an_officials_message(server: TestServer,
                                                        offices: Seeded) -> None:
    kelong, _ = _villages(offices)
    db = offices.services.db
    with db.session() as session:
        code = session.get(Village, kelong).code
    assert roles.redeem(db, roles.create_invite(db, "official", village_code=code),
                        OFFICIAL, "Pak Kades").ok
    message = propose(db, OFFICIAL, "Rapat desa Jumat malam di balai desa")
    stranger = await signed_in(server, db, MTR_OFFICER)
    refused = await stranger.post(f"/program/pesan/{message}/setujui",
                                  data={"csrf": await csrf_of(stranger)})
    assert refused.status == 403
    officer = await signed_in(server, db, TPI_OFFICER)
    page = await (await officer.get("/program")).text()
    assert "Rapat desa Jumat malam" in page
    await officer.post(f"/program/pesan/{message}/setujui", data={"csrf": await csrf_of(officer)})
    with db.session() as session:
        assert session.get(Broadcast, message).status != "awaiting"
        told = [r.payload for r in session.scalars(
            select(OutboxMessage).where(OutboxMessage.chat_id == OFFICIAL))]
    assert any("disetujui" in text for text in told)
    await officer.close()
    await stranger.close()


async def test_csv_export_is_formula_safe_and_names_only_with_consent(server: TestServer,
                                                                     offices: Seeded) -> None:
    db = offices.services.db
    submit(db, 7100, "Ani Rahma", TipInput(story='=HYPERLINK("http://x.example","klik")',
                                           recruiter="@calo", consent=True))
    officer = await signed_in(server, db, TPI_OFFICER)
    response = await officer.get("/program/laporan.csv")
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert response.content_type == "text/csv"
    risky = next(r for r in rows if "HYPERLINK" in r["story"])
    assert risky["story"].startswith("'=") and risky["recruiter"] == "'@calo"
    assert risky["reporter"] == "Ani Rahma"
    assert all(r["reporter"] != "Siti Rahayu" for r in rows)  # the seeded tip: no consent
    assert all(r["story"] != "Calo di Lombok" for r in rows)  # another office's tip
    quiz = await (await officer.get("/program/kuis.csv")).text()
    assert quiz.startswith("code,village")
    await officer.close()


async def test_the_office_sees_the_stars_paid_broadcasts_spent_this_month(
        offices: Seeded) -> None:
    db = offices.services.db
    plain = TestServer(make_web_app(offices.services, "desabinaan_bot"))
    await plain.start_server()
    officer = await signed_in(plain, db, TPI_OFFICER)
    assert "Siaran berbayar" not in await (await officer.get("/program")).text()  # off
    await officer.close()
    await plain.close()

    settings = replace(offices.services.settings, token="4242:abc", paid_broadcast=True,
                       paid_broadcast_monthly_stars=1500)
    month = month_of(utcnow(), settings.tz)
    star_spend.reserve(db, 4242, month, 12345, cap=15000)  # 1,234.5 Stars
    paid = TestServer(make_web_app(replace(offices.services, settings=settings),
                                   "desabinaan_bot"))
    await paid.start_server()
    officer = await signed_in(paid, db, TPI_OFFICER)
    page = await (await officer.get("/program")).text()
    section = page.split('id="paid-broadcasts"')[1].split("</section>")[0]
    assert "1.234,5 Bintang" in section and "1.500 Bintang" in section
    await officer.close()
    await paid.close()
