"""The Villages page: add a village from the gazetteer (admins only), pages, the poster's words."""

from __future__ import annotations

from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.core.storage.models import Office, Village
from bot.domain.programme.membership import village_by_code
from bot.domain.programme.poster import poster_text
from tests.faces.web.conftest import TPI_ADMIN, TPI_OFFICER, csrf_of, signed_in
from tests.faces.web.conftest import Office as Seeded

KELONG, SENGGIGI = "AID.24819", "AID.51504"  # Kepulauan Riau (WIB), Nusa Tenggara Barat (WITA)


async def test_an_admin_adds_gazetteer_villages_in_their_own_time_zone(server: TestServer,
                                                                      offices: Seeded) -> None:
    db = offices.services.db
    admin = await signed_in(server, db, TPI_ADMIN)
    found = await (await admin.get("/desa", params={"cari": "desa kelong bintan"})).text()
    assert "Bintan Pesisir" in found and "Kabupaten Bintan" in found
    assert "Kepulauan Riau" in found and f'value="{KELONG}"' in found
    csrf = await csrf_of(admin, "/desa")
    for code in (KELONG, SENGGIGI):
        added = await admin.post("/desa/tambah", data={"csrf": csrf, "code": code},
                                 allow_redirects=False)
        assert added.status == 303 and added.headers["Location"].endswith("?ok=added")
    page = await (await admin.get(added.headers["Location"])).text()
    assert "Senggigi" in page and "WITA" in page and "sekarang masuk program" in page
    with db.session() as session:
        tpi = session.scalar(select(Office.id).where(Office.code == "tpi"))
        rows = {v.code: v for v in session.scalars(select(Village))}
    assert rows[KELONG].timezone == "Asia/Jakarta" and rows[SENGGIGI].timezone == "Asia/Makassar"
    assert rows[KELONG].office_id == rows[SENGGIGI].office_id == tpi  # the admin's own office
    again = await (await admin.get("/desa", params={"cari": "kelong bintan"})).text()
    assert "sudah dalam program" in again
    duplicate = await admin.post("/desa/tambah", data={"csrf": csrf, "code": KELONG})
    assert "sudah ada dalam program" in await duplicate.text()
    await admin.close()


async def test_officers_cannot_add_and_forged_forms_are_refused(server: TestServer,
                                                               offices: Seeded) -> None:
    db = offices.services.db
    officer = await signed_in(server, db, TPI_OFFICER)
    assert 'id="gazetteer-query"' not in await (await officer.get("/desa")).text()
    csrf = await csrf_of(officer)
    refused = await officer.post("/desa/tambah", data={"csrf": csrf, "code": KELONG})
    assert refused.status == 403
    admin = await signed_in(server, db, TPI_ADMIN)
    forged = await admin.post("/desa/tambah", data={"code": KELONG})
    assert forged.status == 403
    with db.session() as session:
        assert session.scalar(select(Village.id)) is None
    await officer.close()
    await admin.close()


async def test_the_village_list_has_pages_and_searches_the_kecamatan(server: TestServer,
                                                                     offices: Seeded) -> None:
    db = offices.services.db
    with db.session() as session:
        tpi = session.scalar(select(Office.id).where(Office.code == "tpi"))
        session.add_all([Village(code=f"21.{i:03d}", name=f"Desa {i:03d}", office_id=tpi,
                                 district="Bintan Pesisir" if i < 7 else "Mantang")
                         for i in range(120)])
    officer = await signed_in(server, db, TPI_OFFICER)
    first = await (await officer.get("/desa")).text()
    assert "120 desa" in first and "Halaman 1 dari 3" in first
    assert "Desa 049" in first and "Desa 050" not in first
    assert "0%" not in first and "belum ada pelanggan" in first  # nobody to take part yet
    last = await (await officer.get("/desa?hal=3")).text()
    assert "Desa 119" in last and "Desa 099" not in last
    pesisir = await (await officer.get("/desa", params={"q": "pesisir"})).text()
    assert "7 desa" in pesisir and "Halaman" not in pesisir
    await officer.close()


async def test_the_poster_names_the_office_and_the_hotlines(server: TestServer,
                                                            offices: Seeded) -> None:
    db = offices.services.db
    with db.session() as session:
        tpi = session.scalar(select(Office.id).where(Office.code == "tpi"))
        session.add(Village(code="21.71.01", name="Kelong", district="Bintan Pesisir",
                            regency="Bintan", office_id=tpi))
    village = village_by_code(db, "21.71.01")
    text = poster_text(db, village, "https://t.me/x?start=desa_21_71_01",
                       offices.services.answers)
    assert text.office == "Kantor Imigrasi Tanjungpinang"
    assert text.hotlines and any("110" in line for line in text.hotlines) and text.source
    officer = await signed_in(server, db, TPI_OFFICER)
    png = await officer.get(f"/desa/{village.id}/poster.png")
    assert png.status == 200 and (await png.read()).startswith(b"\x89PNG")
    await officer.close()
