"""Which bot a printed link names: the token's own bot, asked from Telegram with getMe.

An invite link that names another bot hands the invite token to that bot's owner, so links
are never made with a guessed username: with a token the Bot API says who the bot is; without
one the link is for the local console, and the command says so.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace

from bot.core.config import Settings

CONSOLE_USERNAME = "desabinaan_bot"  # the console's emulator calls its bot this


class UnknownBot(RuntimeError):
    """The bot's username cannot be found out (Telegram unreachable, token refused)."""


def link_username(settings: Settings, given: str | None, bot_key: str | None = None) -> str:
    """The username to put in t.me links: --bot-username, else getMe, else the console's.

    `bot_key`: the regional bot of the office or village the link is for (BOT_TOKENS);
    None, or a key no bot has, is the default bot.
    """
    if given:
        return given.lstrip("@")
    for bot in settings.regional_bots:
        if bot.key == bot_key:
            settings = replace(settings, token=bot.token)
    if not settings.token:
        print(f"note: no TELEGRAM_BOT_TOKEN, so this link is for the local console "
              f"(@{CONSOLE_USERNAME}); set the token to make links for your bot",
              file=sys.stderr)
        return CONSOLE_USERNAME
    return _ask_telegram(settings)


def _ask_telegram(settings: Settings) -> str:
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError

    async def get_me() -> str:
        async with Bot(settings.token or "", base_url=f"{settings.api_base_url}/bot") as bot:
            return bot.username

    try:
        return asyncio.run(get_me())
    except InvalidToken as exc:
        raise UnknownBot("Telegram refused TELEGRAM_BOT_TOKEN; check it, or give "
                         "--bot-username") from exc
    except NetworkError as exc:
        raise UnknownBot(f"cannot ask {settings.api_base_url} for the bot's username ({exc}); "
                         "give --bot-username") from exc
