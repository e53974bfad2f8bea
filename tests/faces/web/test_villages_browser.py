"""Issue 16 in Chromium: an office admin adds a village from the gazetteer, and sees a chart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp.test_utils import TestServer

from bot.domain.people.web_access import issue_login
from tests.faces.web.browser import Browser, shots
from tests.faces.web.conftest import TPI_ADMIN
from tests.faces.web.conftest import Office as Seeded


async def test_an_admin_adds_a_village_from_the_gazetteer(server: TestServer, offices: Seeded,
                                                           chromium_page: Browser,
                                                           tmp_path: Path) -> None:
    browser, out = chromium_page, shots(tmp_path)
    token = await asyncio.to_thread(issue_login, offices.services.db, TPI_ADMIN)
    await browser.open(str(server.make_url(f"/masuk?t={token}")))
    await browser.click("#masuk")
    await browser.open(str(server.make_url("/desa")))
    await browser.fill("#gazetteer-query", "desa kelong bintan")
    await browser.click("#gazetteer-search")
    first = await browser.text("#gazetteer tbody tr")
    assert "Kelong" in first and "Bintan Pesisir" in first and "WIB" in first
    await browser.screenshot(out / "villages-add.png")
    await browser.click("#gazetteer tbody tr button.add")
    assert "Kelong" in await browser.text("h1")
    assert await browser.text("#zone") == "WIB"
    assert "program kantor Anda" in await browser.text("#notice")
    await browser.open(str(server.make_url("/desa")))
    assert "Kelong" in await browser.text("#villages")
