"""The Villages page: the office's villages and their figures, and one village's page.

A village's page has its quiz results and chart, the invite for an official, and its poster.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from aiohttp import web

from bot.core.i18n import _
from bot.domain.people import office_admin
from bot.domain.people.office_admin import AdminError
from bot.domain.people.roles import INVITE_PREFIX
from bot.domain.programme import overview
from bot.domain.programme.charts import stats_chart
from bot.domain.programme.poster import make_poster
from bot.domain.programme.quiz_results import village_stats
from bot.faces.web.context import bot_username, services_of
from bot.faces.web.pages.people import qr_svg
from bot.faces.web.rendering import render
from bot.faces.web.security import Refused, officer_of, viewer_of


async def list_villages(request: web.Request) -> web.Response:
    """GET /desa: the office's villages (an official sees their own)."""
    viewer = viewer_of(request)
    search = request.query.get("q", "")[:60]
    rows = await asyncio.to_thread(overview.office_villages, services_of(request).db,
                                   viewer.office_id, viewer.village_ids, search)
    return render(request, "villages.html", villages=rows, search=search)


async def show_village(request: web.Request, invite: str = "") -> web.Response:
    """GET /desa/{id}: a village's figures, its quiz chart and its links."""
    village = await _village(request)
    stats = await asyncio.to_thread(village_stats, services_of(request).db, village.id)
    join = f"https://t.me/{bot_username(request)}?start=desa_{village.code}"
    return render(request, "village.html", village=village, stats=stats, join=join,
                  invite=invite, qr=qr_svg(invite) if invite else "")


async def chart(request: web.Request) -> web.Response:
    """GET /desa/{id}/grafik.png: the same chart /statistik sends in Telegram."""
    village = await _village(request)
    stats = await asyncio.to_thread(village_stats, services_of(request).db, village.id)
    png = await asyncio.to_thread(stats_chart, stats, stats.name,
                                  {"trend": _("Score per week"), "weakest": _("Weakest topics")})
    return web.Response(body=png, content_type="image/png")


async def poster(request: web.Request) -> web.Response:
    """GET /desa/{id}/poster.png: the poster with the village's join QR code, to print."""
    village = await _village(request)
    join = f"https://t.me/{bot_username(request)}?start=desa_{village.code}"
    area = ", ".join(p for p in (village.district, village.regency) if p)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "poster.png"
        await asyncio.to_thread(make_poster, village.name, area, join, out)
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
    link = f"https://t.me/{bot_username(request)}?start={INVITE_PREFIX}{token}"
    return await show_village(request, link)


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
