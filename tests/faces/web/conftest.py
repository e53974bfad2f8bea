"""The dashboard under test: the real aiohttp app over loopback HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

import pytest
from aiohttp import ClientSession, CookieJar, web
from aiohttp.test_utils import TestServer

from bot.core.storage.models import Tip
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.people.web_access import issue_login
from bot.domain.services import Services
from bot.domain.tips.submission import TipInput, submit
from bot.faces.web.server import make_web_app
from tests.auxil.harness import Harness
from tests.faces.web.browser import Browser, chromium, require_chromium

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
TPI_OFFICER, TPI_ADMIN, MTR_OFFICER, REPORTER = 5001, 5002, 6001, 7001


@dataclass
class Office:
    """The two offices of the tests, with their people and one tip each."""

    services: Services
    tpi_tip: int
    mtr_tip: int


def browser(server: TestServer) -> ClientSession:
    """A browser of its own (its own cookies) on the dashboard; several can share one server."""
    return ClientSession(base_url=server.make_url("/"), cookie_jar=CookieJar(unsafe=True))


async def signed_in(server: TestServer, db: Database, telegram_id: int) -> ClientSession:
    """A browser that signed in with a fresh /dasbor link of this account."""
    client = browser(server)
    token = await asyncio.to_thread(issue_login, db, telegram_id)
    assert token
    response = await client.post("/masuk", data={"t": token}, allow_redirects=False)
    assert response.status == 303, await response.text()
    return client


async def csrf_of(client: ClientSession, path: str = "/laporan") -> str:
    """The session's CSRF token, as a page's forms carry it."""
    page = await (await client.get(path)).text()
    return CSRF_RE.search(page).group(1)


def seed(db: Database, consent: bool = False) -> tuple[int, int]:
    """Two offices, an officer and an admin in Tanjungpinang, an officer in Mataram, a tip each."""
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    mtr = roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    for telegram_id, office, role, name in ((TPI_OFFICER, "tpi", "officer", "Rina"),
                                            (TPI_ADMIN, "tpi", "admin", "Bu Admin"),
                                            (MTR_OFFICER, "mtr", "officer", "Dewi")):
        assert roles.redeem(db, roles.create_invite(db, role, office_code=office),
                            telegram_id, name).ok
    tpi_tip = submit(db, REPORTER, "Siti Rahayu", TipInput(
        story="Tawaran kerja admin di Kamboja", recruiter="Pak Joko", timing="soon",
        consent=consent))
    mtr_tip = submit(db, REPORTER + 1, "Budi", TipInput(story="Calo di Lombok"))
    with db.session() as session:
        session.get(Tip, mtr_tip.id).office_id = mtr.id
    return tpi_tip.id, mtr_tip.id


@pytest.fixture
async def offices(shared_services: Services, db_url: str) -> AsyncIterator[Office]:
    """Seeded offices on SQLite and PostgreSQL."""
    db = Database(db_url)
    services = replace(shared_services, db=db,
                       settings=replace(shared_services.settings, database_url=db_url),
                       outbox_wakeup=asyncio.Event(), delivery_wakeup=asyncio.Event())
    tpi, mtr = await asyncio.to_thread(seed, db)
    yield Office(services, tpi, mtr)
    db.dispose()


@pytest.fixture
async def server(offices: Office) -> AsyncIterator[TestServer]:
    """The dashboard's app on a loopback port."""
    srv = TestServer(make_web_app(offices.services, "desabinaan_bot"))
    await srv.start_server()
    yield srv
    await srv.close()


@pytest.fixture
async def dashboard(harness_any_db: Harness) -> AsyncIterator[str]:
    """The dashboard served beside the running bot, on a free loopback port."""
    runner = web.AppRunner(make_web_app(harness_any_db.services, "desabinaan_bot"))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}"
    services = harness_any_db.services
    services.settings = replace(services.settings, web_base_url=url)  # what /dasbor links to
    yield url
    await runner.cleanup()


@pytest.fixture
async def chromium_page() -> AsyncIterator[Browser]:
    """A headless Chromium page at 1366x768 (skipped where the browser is missing)."""
    require_chromium()
    async with chromium() as page:
        yield page
