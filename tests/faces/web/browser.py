"""Debian's Chromium driven by Playwright's async API, in the test's own event loop.

Playwright talks to the browser over a pipe, so the bot and the dashboard keep serving in the
same loop while the browser waits for a page; no browser is downloaded (Debian's is used).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.domain.people import roles

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage"]
WAIT_MS = 15_000
LINK_RE = re.compile(r"https?://\S+/masuk\?t=\S+")


def require_chromium() -> None:
    """Skip when the browser or Playwright is missing; CI installs both and must not skip."""
    missing = not Path(CHROMIUM).exists() and not shutil.which("chromium")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        missing = True
    if missing and os.environ.get("DESABOT_REQUIRE_BROWSER"):
        pytest.fail("DESABOT_REQUIRE_BROWSER is set but chromium or playwright is missing")
    if missing:
        pytest.skip("needs Debian's chromium package and playwright (pip)")


class Browser:
    """One page of a headless Chromium, with the few actions the tests need."""

    def __init__(self, page: Any) -> None:
        self.page = page

    async def open(self, url: str) -> None:
        """Load a page."""
        await self.page.goto(url)

    async def click(self, css: str) -> None:
        """Click a link or a form's button and wait for the page it leads to."""
        async with self.page.expect_navigation():
            await self.page.click(css)

    async def fill(self, css: str, text: str) -> None:
        """Type into a field."""
        await self.page.fill(css, text)

    async def choose(self, css: str, value: str) -> None:
        """Pick an option of a <select> by its value."""
        await self.page.select_option(css, value)

    async def text(self, css: str = "body") -> str:
        """The visible text of an element."""
        return await self.page.inner_text(css)

    async def script(self, code: str) -> Any:
        """Evaluate JavaScript in the page (to ask whether an image really loaded)."""
        return await self.page.evaluate(code)

    async def screenshot(self, path: Path) -> None:
        """Keep a PNG of the page as it looks."""
        path.parent.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=str(path), full_page=False)

    async def forget_cookies(self) -> None:
        """As if another person sat down at the same PC."""
        await self.page.context.clear_cookies()

    async def resize(self, width: int, height: int) -> None:
        """Another screen size (a phone)."""
        await self.page.set_viewport_size({"width": width, "height": height})

    async def overflowing(self, width: int) -> str:
        """The elements reaching past `width` pixels (what makes a phone scroll sideways)."""
        return await self.page.evaluate(
            "w => [...document.querySelectorAll('body *')].filter(e => "
            "e.getBoundingClientRect().right > w).map(e => e.tagName + '#' + e.id + '.' + "
            "e.className).slice(0, 8).join(' ')", width)

    @property
    def url(self) -> str:
        """Where the browser is."""
        return self.page.url


@asynccontextmanager
async def chromium(width: int = 1366, height: int = 768) -> AsyncIterator[Browser]:
    """A headless Chromium with one page at the office PC's screen size."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium") or CHROMIUM, headless=True, args=FLAGS)
        try:
            page = await browser.new_page(viewport={"width": width, "height": height},
                                          locale="id-ID")
            page.set_default_timeout(WAIT_MS)
            yield Browser(page)
        finally:
            await browser.close()


def shots(tmp_path: Path) -> Path:
    """Screenshots go to DESABOT_SCREENSHOTS (docs/dashboard when refreshing them), else tmp."""
    return Path(os.environ.get("DESABOT_SCREENSHOTS") or tmp_path)


async def member(harness: Any, name: str, role: str, office: str) -> Any:
    """A person of the emulator who joined an office with an invite (an officer or admin)."""
    token = roles.create_invite(harness.services.db, role, office_code=office)
    person = harness.emu.person(name, username=name.lower().replace(" ", "_"))
    reply = await person.ask(f"/start inv_{token}")
    assert "petugas" in reply.text.lower()
    return person


async def sign_in(browser: Browser, person: Any) -> None:
    """/dasbor in Telegram, then the link in the browser and its button."""
    reply = await person.ask("/dasbor")
    while not LINK_RE.search(reply.text or ""):  # tip alerts may arrive in between
        reply = await person.reply()
    link = LINK_RE.search(reply.text)
    await browser.forget_cookies()
    await browser.open(link.group(0))
    await browser.click("#masuk")
