"""The bot under test: the real Application, polling the emulator over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, replace

from telegram import Update

from bot.core.config import Settings
from bot.domain.services import Services
from bot.emulator import Emulator, Person
from bot.faces.telegram.app import build_application, start_app, stop_app
from bot.faces.telegram.context import BotApplication

TOKEN = "123456:TEST-token"


@dataclass
class Harness:
    """The emulator, the running bot and its services."""

    emu: Emulator
    app: BotApplication
    services: Services

    def villager(self, name: str = "Siti") -> Person:
        """A new user with a private chat."""
        return self.emu.person(name)


async def start_bot(emu: Emulator, services: Services) -> BotApplication:
    """Build and start the Application against `emu`, as `desabot run` would against Telegram."""
    settings = replace(services.settings, token=TOKEN, api_base_url=emu.base_url)
    app = build_application(settings, services)
    await start_app(app)
    await app.updater.start_polling(poll_interval=0, timeout=5,
                                    allowed_updates=Update.ALL_TYPES)
    return app


async def stop_bot(app: BotApplication) -> None:
    """Stop polling and shut the Application down."""
    await stop_app(app)


def base_settings(database_url: str, data_dir) -> Settings:  # type: ignore[no-untyped-def]
    """Settings for tests: no token (the harness sets it), embedded NLU."""
    return Settings(database_url=database_url, data_dir=data_dir,
                    gazetteer_warmup=False)  # 2 s of CPU in every test's bot otherwise
