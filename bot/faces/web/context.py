"""What the web face's handlers reach through the aiohttp application: services and names."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bot.core.config import Settings
from bot.domain.people.web_access import Viewer
from bot.domain.services import Services

SERVICES = web.AppKey("services", Services)
# A bot's @username by its key (None: the default bot). Regional bots each have their own: a
# join link or an invite to the wrong bot makes a villager or officer talk to a bot that never
# sends their village's lessons or hears their office's tips.
BotNames = Callable[[str | None], str]
BOT_USERNAME = web.AppKey("bot_username", BotNames)
VIEWER = web.RequestKey("viewer", Viewer | None)


def services_of(request: web.Request) -> Services:
    """The bot's own services (database, settings), shared with the Telegram face."""
    return request.app[SERVICES]


def settings_of(request: web.Request) -> Settings:
    """The settings the bot started with."""
    return request.app[SERVICES].settings


def bot_username(request: web.Request, key: str | None = None) -> str:
    """The @username of the bot with `key` (None: the default bot), for invite and join links."""
    return request.app[BOT_USERNAME](key)
