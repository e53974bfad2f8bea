"""Issue 16 in Chromium: an office admin adds a village from the gazetteer, and sees the charts
of the office's quiz results."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp.test_utils import TestServer

from bot.domain.people.web_access import issue_login
from bot.domain.programme import gazetteer
from tests.faces.web.browser import Browser, shots
from tests.faces.web.conftest import TPI_ADMIN
from tests.faces.web.conftest import Office as Seeded
from tests.faces.web.test_results_page import seed_answers

CHARTS = ("chart-participation", "chart-villages", "chart-hardest")
LOADED = "ids => ids.every(id => document.getElementById(id).naturalWidth > 300)"


async def test_an_admin_adds_a_village_from_the_gazetteer(server: TestServer, offices: Seeded,
                                                           chromium_page: Browser,
                                                           tmp_path: Path) -> None:
    browser, out = chromium_page, shots(tmp_path)
    await asyncio.to_thread(gazetteer.count)  # the national list loads once per process: seconds
    token = await asyncio.to_thread(issue_login, offices.services.db, TPI_ADMIN)
    await browser.open(str(server.make_url(f"/masuk?t={token}")))
    await browser.click("#masuk")
    await browser.open(str(server.make_url("/desa")))
    await browser.page.click("#add-village summary")  # folded until an admin opens it
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


async def test_the_office_sees_its_quiz_results_charts(server: TestServer, offices: Seeded,
                                                       chromium_page: Browser,
                                                       tmp_path: Path) -> None:
    browser, out = chromium_page, shots(tmp_path)
    await asyncio.to_thread(seed_answers, offices.services.db, offices.services.library)
    token = await asyncio.to_thread(issue_login, offices.services.db, TPI_ADMIN)
    await browser.open(str(server.make_url(f"/masuk?t={token}")))
    await browser.click("#masuk")
    await browser.open(str(server.make_url("/program")))
    async with browser.page.expect_navigation(wait_until="domcontentloaded"):
        await browser.page.click("#results")
    # each chart is drawn by matplotlib on the server; on a busy machine that takes seconds
    await browser.page.wait_for_function(LOADED, arg=list(CHARTS), timeout=90_000)
    assert "Kelong" in await browser.text("h1") or "Tanjungpinang" in await browser.text("h1")
    await browser.screenshot(out / "results.png")
    await browser.resize(390, 844)
    await browser.screenshot(out / "results-phone.png")
    wide = await browser.overflowing(392)
    assert await browser.script("document.documentElement.scrollWidth") <= 400, wide
