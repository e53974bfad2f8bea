"""Signing in by the /dasbor link, the session cookie, and where a session ends."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiohttp.test_utils import TestServer

from bot.domain.people.web_access import issue_login
from tests.faces.web.conftest import (
    MTR_OFFICER,
    REPORTER,
    TPI_ADMIN,
    TPI_OFFICER,
    Office,
    browser,
    csrf_of,
    signed_in,
)


async def test_the_link_signs_in_once_with_a_safe_cookie(server: TestServer,
                                                         offices: Office) -> None:
    db = offices.services.db
    token = await asyncio.to_thread(issue_login, db, TPI_OFFICER)
    async with browser(server) as officer:
        # Opening the link (as a link-preview robot would) shows a button; it spends nothing.
        page = await officer.get(f"/masuk?t={token}")
        assert 'id="masuk"' in await page.text()
        response = await officer.post("/masuk", data={"t": token}, allow_redirects=False)
        assert response.status == 303
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
        queue = await officer.get("/laporan")
        assert "Kantor Imigrasi Tanjungpinang" in await queue.text()
    async with browser(server) as thief:
        again = await thief.post("/masuk", data={"t": token})
        assert "tidak berlaku" in await again.text()
        assert (await thief.get("/laporan")).url.path == "/masuk"


async def test_an_expired_or_forged_link_does_not_sign_in(server: TestServer,
                                                         offices: Office) -> None:
    old = await asyncio.to_thread(issue_login, offices.services.db, TPI_OFFICER,
                                  timedelta(minutes=-1))
    async with browser(server) as officer:
        for token in (old, "forged-token"):
            response = await officer.post("/masuk", data={"t": token})
            assert "tidak berlaku" in await response.text()
        assert (await officer.get("/laporan")).url.path == "/masuk"


async def test_villagers_get_no_link(offices: Office) -> None:
    assert await asyncio.to_thread(issue_login, offices.services.db, REPORTER) is None


async def test_logout_ends_the_session_on_the_server(server: TestServer,
                                                     offices: Office) -> None:
    officer = await signed_in(server, offices.services.db, TPI_OFFICER)
    cookie = officer.cookie_jar.filter_cookies(server.make_url("/"))
    await officer.post("/keluar", data={"csrf": await csrf_of(officer)})
    await officer.close()
    async with browser(server) as replay:  # the stolen cookie after logout
        replay.cookie_jar.update_cookies(cookie)
        assert (await replay.get("/laporan")).url.path == "/masuk"


async def test_revoking_an_officer_ends_their_session(server: TestServer,
                                                      offices: Office) -> None:
    db = offices.services.db
    officer = await signed_in(server, db, TPI_OFFICER)
    admin = await signed_in(server, db, TPI_ADMIN)
    people = await (await admin.get("/orang")).text()
    assert "Rina" in people
    from bot.domain.people import office_admin

    rina = next(o for o in await asyncio.to_thread(office_admin.officers, db, TPI_ADMIN)
                if o.name == "Rina")
    await admin.post(f"/orang/petugas/{rina.id}/cabut", data={"csrf": await csrf_of(admin)})
    assert (await officer.get("/laporan")).url.path == "/masuk"
    await officer.close()
    await admin.close()


async def test_a_form_without_the_csrf_token_is_refused(server: TestServer,
                                                        offices: Office) -> None:
    officer = await signed_in(server, offices.services.db, TPI_OFFICER)
    response = await officer.post(f"/laporan/{offices.tpi_tip}/claim", data={"csrf": "wrong"})
    assert response.status == 403
    page = await (await officer.get(f"/laporan/{offices.tpi_tip}")).text()
    assert "menunggu petugas" in page  # still new: nobody claimed it
    await officer.close()


async def test_secure_cookie_behind_https(shared_services, offices: Office) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from bot.faces.web.server import make_web_app

    services = replace(offices.services, settings=replace(
        offices.services.settings, web_base_url="https://dasbor.example.go.id"))
    token = await asyncio.to_thread(issue_login, services.db, MTR_OFFICER)
    https = TestServer(make_web_app(services, "bot"))
    await https.start_server()
    async with browser(https) as officer:
        response = await officer.post("/masuk", data={"t": token}, allow_redirects=False)
        assert "Secure" in response.headers["Set-Cookie"]
    await https.close()


async def test_a_form_posted_from_another_site_is_refused(server: TestServer,
                                                          offices: Office) -> None:
    officer = await signed_in(server, offices.services.db, TPI_OFFICER)
    csrf = await csrf_of(officer)
    forged = await officer.post(f"/laporan/{offices.tpi_tip}/claim", data={"csrf": csrf},
                                headers={"Origin": "https://evil.example"})
    assert forged.status == 403
    token = await asyncio.to_thread(issue_login, offices.services.db, MTR_OFFICER)
    login_csrf = await officer.post("/masuk", data={"t": token},
                                    headers={"Origin": "https://evil.example"})
    assert login_csrf.status == 403
    own = await officer.post(f"/laporan/{offices.tpi_tip}/claim", data={"csrf": csrf},
                             headers={"Origin": str(server.make_url("/")).rstrip("/")})
    assert "Anda menangani" in await own.text()
    await officer.close()
