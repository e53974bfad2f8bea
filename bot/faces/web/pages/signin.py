"""Sign in with the link from /dasbor, and sign out.

Opening the link shows a button instead of signing in at once: Telegram and messengers fetch
links to draw previews, and a GET that spent the single-use token would let the preview
robot, not the officer, use it.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.domain.people.web_access import SESSION_TTL, sign_in, sign_out
from bot.faces.web.context import services_of, settings_of
from bot.faces.web.rendering import render
from bot.faces.web.security import COOKIE, set_session_cookie, viewer_of


async def show(request: web.Request) -> web.Response:
    """The sign-in page: a button when the link's token is in the address, else how to get one."""
    token = request.query.get("t", "")[:100]
    return render(request, "signin.html", token=token, failed=request.query.get("gagal"))


async def enter(request: web.Request) -> web.Response:
    """Spend the token, set the session cookie, open the dashboard."""
    form = await request.post()
    token = str(form.get("t", ""))[:100]
    cookie = await asyncio.to_thread(sign_in, services_of(request).db, token) if token else None
    if cookie is None:
        raise web.HTTPSeeOther("/masuk?gagal=1")
    response = web.HTTPSeeOther("/")
    set_session_cookie(response, cookie, settings_of(request).web_url.startswith("https://"),
                       int(SESSION_TTL.total_seconds()))
    raise response


async def leave(request: web.Request) -> web.Response:
    """End the session on the server, then forget the cookie."""
    viewer_of(request)
    await asyncio.to_thread(sign_out, services_of(request).db, request.cookies.get(COOKIE, ""))
    response = web.HTTPSeeOther("/masuk?keluar=1")
    response.del_cookie(COOKIE, path="/")
    raise response


async def home(request: web.Request) -> web.Response:
    """Officers start at the tips, officials at their villages."""
    raise web.HTTPSeeOther("/laporan" if viewer_of(request).is_officer else "/desa")
