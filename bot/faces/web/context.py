"""What the web face's handlers reach through the aiohttp application: services and names."""

from __future__ import annotations

from aiohttp import web

from bot.core.config import Settings
from bot.domain.people.web_access import Viewer
from bot.domain.services import Services

SERVICES = web.AppKey("services", Services)
BOT_USERNAME = web.AppKey("bot_username", str)
VIEWER = web.RequestKey("viewer", Viewer | None)


def services_of(request: web.Request) -> Services:
    """The bot's own services (database, settings), shared with the Telegram face."""
    return request.app[SERVICES]


def settings_of(request: web.Request) -> Settings:
    """The settings the bot started with."""
    return request.app[SERVICES].settings


def bot_username(request: web.Request) -> str:
    """The bot's @username, for invite and join links."""
    return request.app[BOT_USERNAME]
