"""Several bot tokens in one process: one Application per regional bot, one set of services.

Every bot is a full python-telegram-bot Application with its own token, update stream, claims
and sending budget (`DesaBot.budget`; with REDIS_URL one budget per token in Redis,
`send_budget.py`), so a reply always goes out through the bot the person wrote to. They share
the services (database, content, NLU) built once by the default bot, the first one. Each bot's
delivery worker sends its own villages' broadcasts (`BotShare`), so a national campaign is sent
by all the bots at once, each within its own budget; the default bot alone takes part in
leading, and its outbox worker picks each message's bot by its chat (`chat_bot`).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Sequence
from dataclasses import dataclass, replace

from telegram import Update

from bot.core.config import Settings
from bot.core.storage.session import Database
from bot.domain.messaging.bots import BotShare, village_bot_and_code
from bot.domain.services import Services
from bot.faces.telegram.app import Companion, build_application, start_app, stop_app
from bot.faces.telegram.context import BotApplication
from bot.faces.telegram.ext_bot import DesaBot
from bot.faces.telegram.roles import BotRole


@dataclass
class Fleet:
    """The deployment's bots by key, the default bot first."""

    apps: dict[str, BotApplication]

    @property
    def primary(self) -> BotApplication:
        """The default bot's Application (it owns the services)."""
        return next(iter(self.apps.values()))

    def bot(self, key: str | None) -> DesaBot:
        """The bot with that key; the default bot for None or a key no bot has any more."""
        app = self.apps.get(key) if key is not None else None
        return (app or self.primary).bot  # type: ignore[return-value]


async def other_bot_of_village(app: BotApplication, db: Database,
                               village_id: int) -> tuple[DesaBot, str] | None:
    """The village's bot and code when that is another bot than `app`'s, else None.

    A villager who joins through the wrong bot would never get the lessons: Telegram lets
    only a bot the person started write to them.
    """
    fleet: Fleet | None = app.bot_data.get("fleet")
    if fleet is None or len(fleet.apps) == 1:
        return None
    found = await asyncio.to_thread(village_bot_and_code, db, village_id)
    if found is None:
        return None
    owner = fleet.bot(found[0])
    return None if owner is app.bot else (owner, found[1])


def build_fleet(settings: Settings, services: Services | None = None, background: bool = True,
                companions: Sequence[Companion] = ()) -> Fleet:
    """One Application per bot of `settings.bots` (at least one token must be set)."""
    first, *rest = settings.bots
    regional = tuple(b.key for b in rest)
    primary = build_application(
        replace(settings, token=first.token), services, background, companions,
        BotRole(first.key, True, BotShare(None, regional) if regional else None, None))
    apps = {first.key: primary}
    for bot in rest:
        apps[bot.key] = build_application(
            replace(settings, token=bot.token), services, background, (),
            BotRole(bot.key, False, BotShare(bot.key), bot.key),
            provide=lambda: primary.bot_data["services"])
    fleet = Fleet(apps)
    for app in apps.values():
        app.bot_data["fleet"] = fleet
    return fleet


async def start_fleet(fleet: Fleet) -> None:
    """Start the default bot first (it builds the services), then the regional ones."""
    for app in fleet.apps.values():
        await start_app(app)


async def stop_fleet(fleet: Fleet) -> None:
    """Stop the regional bots first, the default bot (which owns the services) last."""
    for app in reversed(list(fleet.apps.values())):
        await stop_app(app)


async def poll_fleet(fleet: Fleet, poll_interval: float) -> None:
    """Long polling for every bot until SIGTERM or SIGINT."""
    await start_fleet(fleet)
    try:
        for app in fleet.apps.values():
            await app.updater.start_polling(poll_interval=poll_interval,
                                            allowed_updates=Update.ALL_TYPES)
        await until_signalled()
    finally:
        await stop_fleet(fleet)


async def until_signalled() -> None:
    """Wait for SIGTERM or SIGINT (Ctrl-C)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
