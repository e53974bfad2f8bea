"""The Villages page: the office's villages and their figures, and one village's page.

A village's page has its quiz results and chart, the invite for an official, and its poster.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from aiohttp import web

from bot.core.formatting import ZONE_ABBREVIATIONS
from bot.core.i18n import _
from bot.domain.messaging.bots import village_bot_and_code
from bot.domain.people import office_admin
from bot.domain.people.office_admin import AdminError
from bot.domain.people.roles import INVITE_PREFIX
from bot.domain.programme import gazetteer, overview
from bot.domain.programme.charts import stats_chart
from bot.domain.programme.poster import make_poster, poster_text
from bot.domain.programme.quiz_results import village_stats
from bot.faces.web.context import bot_username, services_of
from bot.faces.web.pages.people import qr_svg
from bot.faces.web.rendering import render
from bot.faces.web.security import Refused, admin_of, officer_of, viewer_of

ADD_ERRORS = {
    "duplicate": lambda: _("This village is already in a programme."),
    "unknown_code": lambda: _("This village is not in Indonesia's list of villages."),
    "": lambda: _("The village could not be added."),
}


async def list_villages(request: web.Request, error: str = "") -> web.Response:
    """GET /desa?q=&hal=: a page of the office's villages (an official sees their own).

    An office admin also searches Indonesia's gazetteer here (?cari=) to add a village.
    """
    viewer = viewer_of(request)
    db = services_of(request).db
    search, wanted = request.query.get("q", "")[:60], request.query.get("cari", "")[:100]
    raw_page = request.query.get("hal", "1")
    page = await asyncio.to_thread(overview.office_villages, db, viewer.office_id,
                                   viewer.village_ids, search,
                                   page=int(raw_page) if raw_page.isdigit() else 1)
    found = await asyncio.to_thread(gazetteer.search, db, wanted, 10) \
        if viewer.is_admin and wanted.strip() else []
    return render(request, "villages.html", villages=page.rows, listing=page, search=search,
                  wanted=wanted, found=found, error=error)


async def add_village(request: web.Request) -> web.Response:
    """POST /desa/tambah: an office admin adds a gazetteer village to the office's programme."""
    viewer = admin_of(request)
    form = await request.post()
    code = str(form.get("code", ""))[:30]
    try:
        added = await asyncio.to_thread(office_admin.add_village, services_of(request).db,
                                        viewer.telegram_id, code)
    except AdminError:
        raise Refused() from None
    except gazetteer.GazetteerError as exc:
        return await list_villages(request, ADD_ERRORS.get(exc.reason, ADD_ERRORS[""])())
    raise web.HTTPSeeOther(f"/desa/{added.id}?ok=added")


async def show_village(request: web.Request, invite: str = "") -> web.Response:
    """GET /desa/{id}: a village's figures, its quiz chart and its links."""
    village = await _village(request)
    stats = await asyncio.to_thread(village_stats, services_of(request).db, village.id)
    join = await _join_link(request, village.id, village.code)
    return render(request, "village.html", village=village, stats=stats, join=join,
                  invite=invite, qr=qr_svg(invite) if invite else "",
                  zone=ZONE_ABBREVIATIONS.get(village.timezone, village.timezone))


async def chart(request: web.Request) -> web.Response:
    """GET /desa/{id}/grafik.png: the same chart /statistik sends, topics by their titles."""
    village = await _village(request)
    stats = await asyncio.to_thread(village_stats, services_of(request).db, village.id)
    library = services_of(request).library
    png = await asyncio.to_thread(stats_chart, stats, stats.name,
                                  {"trend": _("Score per week"), "topics": _("Score per topic"),
                                   "none": _("no answers yet")},
                                  library.topics if library else None)
    return web.Response(body=png, content_type="image/png")


async def poster(request: web.Request) -> web.Response:
    """GET /desa/{id}/poster.png: the poster with the village's join QR code, to print."""
    village = await _village(request)
    services = services_of(request)
    join = await _join_link(request, village.id, village.code)
    text = await asyncio.to_thread(poster_text, services.db, village, join, services.answers)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "poster.png"
        await asyncio.to_thread(make_poster, text, out)
        body = out.read_bytes()
    return web.Response(body=body, content_type="image/png", headers={
        "Content-Disposition": f'inline; filename="poster-{village.code}.png"'})


async def invite_official(request: web.Request) -> web.Response:
    """POST /desa/{id}/undang: a single-use invite for a new official of this village."""
    viewer = officer_of(request)
    village = await _village(request)
    try:
        token = await asyncio.to_thread(office_admin.invite_official, services_of(request).db,
                                        viewer.telegram_id, village.id)
    except AdminError:
        raise Refused() from None
    key = await _village_bot(request, village.id)
    link = f"https://t.me/{bot_username(request, key)}?start={INVITE_PREFIX}{token}"
    return await show_village(request, link)


async def _village_bot(request: web.Request, village_id: int) -> str | None:
    found = await asyncio.to_thread(village_bot_and_code, services_of(request).db, village_id)
    return found[0] if found else None


async def _join_link(request: web.Request, village_id: int, code: str) -> str:
    """The t.me link that subscribes a villager, through the bot of this village.

    Telegram lets only a bot the person started write to them: a link to another bot would
    subscribe them to lessons they never receive.
    """
    key = await _village_bot(request, village_id)
    return f"https://t.me/{bot_username(request, key)}?start=desa_{code}"


async def _village(request: web.Request):  # type: ignore[no-untyped-def]
    viewer = viewer_of(request)
    raw = request.match_info["village"]
    if not raw.isdigit() or len(raw) > 10:
        raise web.HTTPNotFound()
    village = await asyncio.to_thread(overview.village_of, services_of(request).db, int(raw),
                                      viewer.office_id, viewer.village_ids)
    if village is None:
        raise web.HTTPNotFound()
    return village
