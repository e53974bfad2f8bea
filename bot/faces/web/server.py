"""The dashboard's aiohttp application, served in the bot's own event loop.

aiohttp is already the bot's HTTP stack (its Bot API client, the webhook, the emulator), so the
dashboard needs no second server or thread: its handlers run beside python-telegram-bot's,
and database calls go to the same worker threads through `asyncio.to_thread`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.core.i18n import _
from bot.domain.services import Services
from bot.faces.web.context import BOT_USERNAME, SERVICES, BotNames
from bot.faces.web.pages import campaigns, people, programme, review, signin, tips, villages
from bot.faces.web.rendering import STATIC, render
from bot.faces.web.security import Handler, Refused, headers_middleware, session_middleware

log = logging.getLogger(__name__)


@web.middleware
async def refusals_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A refused or missing page in words, not a bare status code."""
    try:
        return await handler(request)
    except Refused:
        log.warning("refused dashboard page %s", request.path)
        return render(request, "error.html", status=403,
                      message=_("You are not allowed to see this page."))
    except web.HTTPNotFound:
        return render(request, "error.html", status=404,
                      message=_("This page does not exist, or it belongs to another office."))


def make_web_app(services: Services, username: str | BotNames) -> web.Application:
    """Every page and action of the dashboard; `username`: one bot's, or each bot's by key."""
    app = web.Application(middlewares=[headers_middleware, refusals_middleware,
                                       session_middleware(lambda r: r.app[SERVICES].db)],
                          client_max_size=256 * 1024)
    app[SERVICES] = services
    app[BOT_USERNAME] = (lambda _key: username) if isinstance(username, str) else username
    add = app.router
    add.add_get("/", signin.home)
    add.add_get("/masuk", signin.show)
    add.add_post("/masuk", signin.enter)
    add.add_post("/keluar", signin.leave)
    add.add_get("/laporan", tips.list_tips)
    add.add_get(r"/laporan/{tip}", tips.show_tip)
    add.add_post(r"/laporan/{tip}/berkas/{media:\d{1,10}}", tips.send_media)
    add.add_post(r"/laporan/{tip}/{action:[a-z]{1,12}}", tips.act)
    add.add_get("/kampanye", campaigns.list_campaigns)
    add.add_get(r"/kampanye/{campaign}", campaigns.show_campaign)
    add.add_post(r"/kampanye/{campaign}/putusan/{verdict:[a-z]{1,12}}", campaigns.give_verdict)
    add.add_post(r"/kampanye/{campaign}/pelajaran", campaigns.send_lesson)
    add.add_get("/orang", people.show)
    add.add_post("/orang/undang", people.invite)
    add.add_post(r"/orang/petugas/{id}/cabut", people.revoke_officer)
    add.add_post(r"/orang/perangkat/{id}/cabut", people.revoke_official)
    add.add_post(r"/orang/pelapor/{tip}/buka", people.unblock)
    add.add_get("/desa", villages.list_villages)
    add.add_post("/desa/tambah", villages.add_village)
    add.add_get(r"/desa/{village}", villages.show_village)
    add.add_get(r"/desa/{village}/grafik.png", villages.chart)
    add.add_get(r"/desa/{village}/poster.png", villages.poster)
    add.add_post(r"/desa/{village}/undang", villages.invite_official)
    add.add_get("/program", programme.show)
    add.add_get("/program/hasil", programme.results)
    add.add_get(r"/program/hasil/{kind:[a-z]{1,12}}.svg", programme.results_chart)
    add.add_post(r"/program/pesan/{id}/{verdict}", programme.decide_message)
    add.add_get("/program/laporan.csv", programme.export_tips)
    add.add_get("/program/kuis.csv", programme.export_quiz)
    add.add_get("/tinjauan", review.show)
    add.add_post("/tinjauan", review.reviewed)
    add.add_get("/tinjauan/kandidat.yml", review.export)
    add.add_static("/static/", STATIC)
    return app


async def start_web(services: Services, username: str | BotNames) -> Callable[[], Awaitable[None]]:
    """Serve the dashboard on WEB_LISTEN:WEB_PORT; returns the coroutine that stops it."""
    settings = services.settings
    runner = web.AppRunner(make_web_app(services, username), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.web_listen, settings.web_port).start()
    except OSError as exc:  # the port is taken: villagers still get their bot
        log.error("the dashboard could not listen on %s:%s (%s); the bot runs without it "
                  "(set WEB_PORT, or WEB_ENABLED=0)", settings.web_listen, settings.web_port,
                  exc.strerror)
        await runner.cleanup()
        return _nothing
    log.info("dashboard on %s", settings.web_url)
    return runner.cleanup


async def _nothing() -> None:
    """Stopping a dashboard that never started."""
