"""Server-rendered pages: Jinja2 templates with the bot's Babel catalog and date formatting.

Templates call `_()` like the code does, so `desabot i18n update` extracts their strings into
the same catalog; autoescaping is on, so a villager's text can never become markup.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from babel.dates import format_timedelta

from bot.core.formatting import format_datetime_local, format_number
from bot.core.i18n import _, current_locale, ngettext
from bot.core.storage.models import utcnow
from bot.faces.web.context import SERVICES, VIEWER

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One Jinja2 environment per process (templates are compiled once).

    Jinja2 is imported at the first page, not with the dashboard: a bot whose dashboard
    nobody opens does not hold its ~5 MiB at rest (issue 18).
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(("html",)), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(_=_, ngettext=ngettext)
    env.filters.update(when=format_datetime_local, number=format_number, age=age,
                       short=short_datetime, clock=clock)
    return env


def render(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    """A page with the signed-in viewer, the flash message and the settings it needs."""
    values.setdefault("viewer", request.get(VIEWER))
    values.setdefault("notice", request.query.get("ok", ""))
    values.setdefault("page", template.removesuffix(".html"))
    values.setdefault("tz", request.app[SERVICES].settings.timezone)
    html = environment().get_template(template).render(**values)
    return web.Response(text=html, content_type="text/html", status=status)


def age(moment: datetime, now: datetime | None = None) -> str:
    """"3 jam", "2 hari": how long ago, in Indonesian."""
    delta: timedelta = (now or utcnow()) - moment
    return format_timedelta(delta, threshold=1.0, locale=current_locale())


def short_datetime(moment: datetime, zone: str) -> str:
    """"01/12/26 14.05 WIB" for tables, where the long form would not fit a phone."""
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    from bot.core.formatting import ZONE_ABBREVIATIONS

    local = moment.astimezone(ZoneInfo(zone))
    text = format_datetime(local, "d MMM y HH.mm", locale=current_locale())
    return f"{text} {ZONE_ABBREVIATIONS.get(zone) or local.tzname()}"


def clock(moment: datetime, zone: str) -> str:
    """"19.00": the time of day in the village, as Indonesians write it."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).strftime("%H.%M")
