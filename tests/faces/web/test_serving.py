"""The dashboard starts beside the bot, and a taken port does not stop the bot."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp import ClientSession

from bot.domain.services import Services
from bot.faces.web.server import start_web


async def test_served_on_the_configured_port(services: Services) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    own = replace(services, settings=replace(services.settings, web_port=port))
    stop = await start_web(own, "desabinaan_bot")
    async with ClientSession() as client:
        page = await client.get(f"http://127.0.0.1:{port}/masuk")
        assert "/dasbor" in await page.text()
    await stop()


async def test_a_taken_port_leaves_the_bot_running(services: Services,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        own = replace(services, settings=replace(services.settings,
                                                 web_port=taken.getsockname()[1]))
        with caplog.at_level(logging.ERROR):
            stop = await start_web(own, "desabinaan_bot")
        await stop()
    assert "could not listen" in caplog.text


def test_starting_the_dashboard_leaves_jinja2_for_the_first_page() -> None:
    """A dashboard nobody opens costs the bot no template engine in memory (issue 18)."""
    code = ("import sys; import bot.faces.web.server, bot.faces.telegram.runner; "
            "print('jinja2' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[3],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
