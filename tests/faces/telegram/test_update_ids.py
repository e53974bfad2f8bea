"""Update ids are counted per bot: a second bot, or the console's next run, is not deaf."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot.domain.services import Services
from bot.emulator import Emulator
from bot.faces.telegram.app import build_application, start_app, stop_app
from bot.faces.telegram.runner import CONSOLE_TOKEN, prepare_console_database


async def _first_answer(services: Services, token: str) -> str:
    """A fresh emulator (its update ids start at 1) and the bot with `token` on `services`."""
    emu = Emulator(token=token)
    await emu.start()
    app = build_application(replace(services.settings, token=token,
                                    api_base_url=emu.base_url), services)
    await start_app(app)
    await app.updater.start_polling(poll_interval=0, timeout=5,
                                    allowed_updates=Update.ALL_TYPES)
    try:
        return (await emu.person("Siti").ask("/start", timeout=10)).text
    finally:
        await stop_app(app)
        await emu.stop()


async def test_a_second_bot_on_the_same_database_answers(services: Services) -> None:
    """A new bot token (another bot id) on a database where update 1 was already handled."""
    assert await _first_answer(services, "111111:first-bot")
    assert await _first_answer(services, "222222:second-bot")


async def test_the_console_answers_on_its_second_run(services: Services) -> None:
    """`make run` twice on the same data: the console's new emulator counts from 1 again."""
    for _run in range(2):
        prepare_console_database(services.settings.database_url)
        assert await _first_answer(services, CONSOLE_TOKEN)
