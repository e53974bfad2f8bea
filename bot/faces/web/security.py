"""Who is asking: the session cookie, CSRF tokens and the headers every page carries.

Every request looks the session and the person's role up in the database again, so a logout,
an expired session or a revoked role takes effect on the very next click. Every POST must
carry the session's CSRF token; a form posted from another site has none.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from bot.domain.people.web_access import Viewer, current_viewer
from bot.faces.web.context import SERVICES, VIEWER

log = logging.getLogger(__name__)
COOKIE = "desabot_session"
PUBLIC = ("/masuk", "/static/")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Refused(web.HTTPForbidden):
    """The viewer may not see or do this; the page says so in words."""


def session_middleware(db_of: Callable[[web.Request], object]) -> Callable:
    """Attach the viewer to the request, or send an anonymous visitor to the sign-in page."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        cookie = request.cookies.get(COOKIE, "")
        viewer = await asyncio.to_thread(current_viewer, db_of(request), cookie) if cookie \
            else None
        request[VIEWER] = viewer
        if request.method == "POST":
            check_origin(request)
        if request.path.startswith(PUBLIC):
            return await handler(request)  # the sign-in token is the secret of its own form
        if viewer is None:
            raise web.HTTPSeeOther("/masuk")
        if request.method == "POST":
            await check_csrf(request, viewer)
        return await handler(request)

    return middleware


def check_origin(request: web.Request) -> None:
    """Refuse a POST that a browser says comes from another site (the sign-in form included).

    Browsers send Origin with every POST; the address may be the one behind the proxy
    (WEB_BASE_URL) or the one the request reached. Requests without one (scripts, or a
    browser that hides it) are left to the CSRF token and the SameSite cookie.
    """
    origin = request.headers.get("Origin")
    if origin in (None, "null"):  # none, or hidden by the browser's privacy settings
        return
    allowed = {request.host, urlsplit(request.app[SERVICES].settings.web_url).netloc}
    if urlsplit(origin).netloc not in allowed:
        log.warning("refused a form posted from another site to %s", request.path)
        raise web.HTTPForbidden(text="cross-site form refused")


async def check_csrf(request: web.Request, viewer: Viewer) -> None:
    """Refuse a POST whose form lacks this session's token."""
    form = await request.post()
    given = str(form.get("csrf", ""))
    if not hmac.compare_digest(given.encode(), viewer.csrf.encode()):
        log.warning("refused a form without a valid CSRF token on %s", request.path)
        raise web.HTTPForbidden(text="CSRF token missing or wrong")


@web.middleware
async def headers_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No caching of pages with tips, no framing, no referrer carrying a sign-in token."""
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    # same-origin: a sign-in link in the address never leaves for another site, and the
    # browser still tells us a form's Origin (with no-referrer it sends "null").
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def set_session_cookie(response: web.StreamResponse, cookie: str, secure: bool,
                       max_age: int) -> None:
    """HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it)."""
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="Lax", secure=secure,
                        max_age=max_age, path="/")


def viewer_of(request: web.Request) -> Viewer:
    """The signed-in viewer (the middleware guarantees one outside the public pages)."""
    viewer = request.get(VIEWER)
    if viewer is None:
        raise web.HTTPSeeOther("/masuk")
    return viewer


def officer_of(request: web.Request) -> Viewer:
    """The viewer, who must be an officer or office admin."""
    viewer = viewer_of(request)
    if not viewer.is_officer:
        raise Refused()
    return viewer


def admin_of(request: web.Request) -> Viewer:
    """The viewer, who must be an office admin."""
    viewer = viewer_of(request)
    if not viewer.is_admin:
        raise Refused()
    return viewer
