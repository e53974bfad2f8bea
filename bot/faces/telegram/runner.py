"""Starting the bot: against Telegram (polling or webhook) or in the local console."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence

from telegram import Update

from bot.core.config import ConfigError, Settings
from bot.core.i18n import _
from bot.core.storage.migrate import upgrade
from bot.domain.content.check import check_all
from bot.domain.people.web_access import demo_login, login_url
from bot.emulator import Emulator
from bot.faces.telegram.app import Companion, build_application, start_app, stop_app
from bot.faces.telegram.console import Console, read_lines
from bot.faces.telegram.context import BotApplication
from bot.faces.telegram.webhook import serve_webhook

log = logging.getLogger(__name__)
CONSOLE_TOKEN = "123456:desabot-console"
# Telegram answers getUpdates at once when an update is waiting, so during a campaign every
# call brings one update and its HTTP round trip costs more than handling it. Pausing 20 ms
# after each call gathers several updates per call: measured 20% less CPU per answer at
# 150 messages a second (benchmarks/README.md); a lone message is still answered at once.
POLL_INTERVAL = 0.02


def run(settings: Settings, webhook: bool = False, companions: Sequence[Companion] = ()) -> int:
    """Check content, apply migrations, then serve Telegram (or open the console).

    `companions` (the web dashboard) run in the bot's own event loop.
    """
    check_all()  # a broken content file stops the bot here with file and line
    upgrade(settings.database_url)
    if settings.token is None:
        asyncio.run(run_console(settings, companions))
        return 0
    if webhook and (not settings.webhook_url or not settings.webhook_secret):
        raise ConfigError("--webhook needs WEBHOOK_URL and WEBHOOK_SECRET_TOKEN")
    app = build_application(settings, companions=companions)
    if webhook:
        _run_webhook(app, settings)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=POLL_INTERVAL)
    return 0


def _run_webhook(app: BotApplication, settings: Settings) -> None:
    asyncio.run(serve_webhook(app, settings.webhook_url, settings.webhook_secret,
                              settings.webhook_listen, settings.webhook_port))


async def run_console(settings: Settings, companions: Sequence[Companion] = ()) -> None:
    """The same Application and database, talking to an in-process emulator."""
    emu = Emulator(token=CONSOLE_TOKEN)
    await emu.start()
    console = Console(emu)
    print(console.banner(), flush=True)
    settings = _with_api(settings, emu.base_url, CONSOLE_TOKEN)
    app = build_application(settings, companions=companions)
    await start_app(app)
    if companions:
        print(await _dashboard_banner(app, console), flush=True)
    await app.updater.start_polling(poll_interval=0, timeout=10,
                                    allowed_updates=Update.ALL_TYPES)
    try:
        await read_lines(console, sys.stdin)
    finally:
        await stop_app(app)
        await emu.stop()


async def serve_emulator(host: str, port: int, token: str | None, console: bool) -> None:
    """`desabot emulator`: serve the Bot API on host:port, with the console on this terminal."""
    emu = Emulator(token=token)
    await emu.start(host, port)
    print(f"Bot API emulator on {emu.base_url} (TELEGRAM_API_BASE_URL={emu.base_url})",
          flush=True)
    try:
        if console:
            chat = Console(emu)
            print(chat.banner(), flush=True)
            await read_lines(chat, sys.stdin)
        else:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.Event().wait()
    finally:
        await emu.stop()


async def _dashboard_banner(app: BotApplication, console: Console) -> str:
    """The demo officer (petugas) becomes an office admin; their sign-in link is printed."""
    services = app.bot_data["services"]
    officer = console.people["petugas"]
    token = await asyncio.to_thread(demo_login, services.db, officer.id,
                                    officer.user["first_name"])
    return _("Web dashboard for the officer (petugas), single-use link: {url}").format(
        url=login_url(services.settings.web_url, token))


def _with_api(settings: Settings, base_url: str, token: str) -> Settings:
    from dataclasses import replace

    return replace(settings, api_base_url=base_url, token=token)
