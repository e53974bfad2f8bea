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
from bot.core.storage.migrate import ensure_current
from bot.core.storage.session import Database
from bot.domain.content.check import check_all
from bot.domain.messaging.update_claims import forget_bot
from bot.domain.people.demo import DemoPeople, has_demo, seed_demo
from bot.domain.people.web_access import demo_login, login_url
from bot.emulator import Emulator
from bot.faces.telegram.app import (
    Companion,
    bot_id_of,
    build_application,
    start_app,
    stop_app,
)
from bot.faces.telegram.console import Console, read_lines
from bot.faces.telegram.context import BotApplication
from bot.faces.telegram.fleet import build_fleet, poll_fleet
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
    ensure_current(settings.database_url)  # Alembic only in a child, only when needed
    if settings.token is None:
        asyncio.run(run_console(settings, companions))
        return 0
    _refuse_demo_data(settings.database_url)
    if webhook and (not settings.webhook_url or not settings.webhook_secret):
        raise ConfigError("--webhook needs WEBHOOK_URL and WEBHOOK_SECRET_TOKEN")
    fleet = build_fleet(settings, companions=companions)  # one Application per bot token
    if webhook:
        asyncio.run(serve_webhook(fleet, settings.webhook_url, settings.webhook_secret,
                                  settings.webhook_listen, settings.webhook_port))
    elif len(fleet.apps) == 1:
        fleet.primary.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=POLL_INTERVAL)
    else:
        asyncio.run(poll_fleet(fleet, POLL_INTERVAL))
    return 0


async def run_console(settings: Settings, companions: Sequence[Companion] = ()) -> None:
    """The same Application and database, talking to an in-process emulator."""
    emu = Emulator(token=CONSOLE_TOKEN)
    await emu.start()
    console = Console(emu)
    seeded = prepare_console_database(settings.database_url, console.demo_people())
    print(console.banner(), flush=True)
    if seeded:
        print(console.demo_note(), flush=True)
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


def _refuse_demo_data(url: str) -> None:
    """Real villagers' tips must never go to the console's demo officer."""
    db = Database(url)
    try:
        demo = has_demo(db)
    finally:
        db.dispose()
    if demo:
        raise ConfigError("DATABASE_URL holds the console's demo office and roles (seeded by "
                          "`make run` without a token); use a fresh database for the real bot")


def prepare_console_database(url: str, people: DemoPeople | None = None) -> bool:
    """Get the database ready for the console; True when the demo was seeded just now.

    The console bot's update ids are forgotten (each run's new emulator counts from 1 again)
    and a database without offices gets the demo office, villages and roles.
    """
    db = Database(url)
    try:
        forget_bot(db, bot_id_of(CONSOLE_TOKEN))
        return seed_demo(db, people) if people else False
    finally:
        db.dispose()


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
