"""The office admin's People page: officers, officials, invites with QR, blocked reporters, log."""

from __future__ import annotations

import asyncio

from aiohttp import web
from markupsafe import Markup

from bot.core.i18n import _
from bot.domain.campaigns.texts import VERDICTS
from bot.domain.messaging.bots import office_bot
from bot.domain.people import office_admin
from bot.domain.people.office_admin import AdminError
from bot.domain.people.roles import INVITE_PREFIX
from bot.faces.web.context import bot_username, services_of
from bot.faces.web.pages.tips import ACTORS, EVENTS
from bot.faces.web.rendering import render
from bot.faces.web.security import Refused, admin_of


async def show(request: web.Request, invite: str = "", invite_role: str = "") -> web.Response:
    """GET /orang: everything about the office's people on one page."""
    viewer = admin_of(request)
    db = services_of(request).db
    officers, officials, blocked, log = await asyncio.gather(
        asyncio.to_thread(office_admin.officers, db, viewer.telegram_id),
        asyncio.to_thread(office_admin.officials, db, viewer.telegram_id),
        asyncio.to_thread(office_admin.blocked_reporters, db, viewer.telegram_id),
        asyncio.to_thread(office_admin.audit_log, db, viewer.telegram_id, 100))
    return render(request, "people.html", officers=officers, officials=officials,
                  event_names={**{k: v() for k, v in EVENTS.items()},
                               **{k: v() for k, v in OFFICE_EVENTS.items()}},
                  campaign_names={k: v() for k, v in CAMPAIGN_EVENTS.items()},
                  verdict_names={k: v() for k, v in VERDICTS.items()},
                  actor_names={**{k: v() for k, v in ACTORS.items()},
                               "operator": _("Operator (shell)"),
                               "official": _("Village official")},
                  subject=subject_text, blocked=blocked, log=log, invite=invite,
                  invite_role=invite_role, qr=qr_svg(invite) if invite else "")


OFFICE_EVENTS = {
    "invited": lambda: _("created an invitation"),
    "joined": lambda: _("joined with an invitation"),
    "revoked": lambda: _("revoked a role"),
    "signed_in": lambda: _("signed in to the dashboard"),
    "signed_out": lambda: _("signed out of the dashboard"),
    "village_added": lambda: _("added a village to the programme"),
}
CAMPAIGN_EVENTS = {
    "alerted": lambda: _("alerted the office to a campaign"),
    "verdict": lambda: _("gave a verdict"),
    "lesson": lambda: _("sent the warning lesson"),
    "merged": lambda: _("merged two campaigns"),
}
ROLES = {"officer": lambda: _("Officer"), "admin": lambda: _("Office admin"),
         "official": lambda: _("Village official")}


def subject_text(subject: str) -> str:
    """"official: Kelong" as "Perangkat desa: Kelong"; a role alone in words; else as stored."""
    role, sep, rest = subject.partition(": ")
    if role in ROLES:
        return f"{ROLES[role]()}: {rest}" if sep else ROLES[role]()
    return subject


async def invite(request: web.Request) -> web.Response:
    """POST /orang/undang: a new single-use invite, shown once with its QR code."""
    viewer = admin_of(request)
    form = await request.post()
    as_admin = form.get("role") == "admin"
    token = await _run(office_admin.invite_officer, services_of(request).db, viewer.telegram_id,
                       as_admin)
    key = await asyncio.to_thread(office_bot, services_of(request).db, viewer.office_id)
    link = f"https://t.me/{bot_username(request, key)}?start={INVITE_PREFIX}{token}"
    return await show(request, link, "admin" if as_admin else "officer")


async def revoke_officer(request: web.Request) -> web.Response:
    """POST /orang/petugas/{id}/cabut."""
    viewer = admin_of(request)
    await _run(office_admin.revoke_officer, services_of(request).db, viewer.telegram_id,
               _number(request, "id"))
    raise web.HTTPSeeOther("/orang?ok=revoked")


async def revoke_official(request: web.Request) -> web.Response:
    """POST /orang/perangkat/{id}/cabut."""
    viewer = admin_of(request)
    await _run(office_admin.revoke_official, services_of(request).db, viewer.telegram_id,
               _number(request, "id"))
    raise web.HTTPSeeOther("/orang?ok=revoked")


async def unblock(request: web.Request) -> web.Response:
    """POST /orang/pelapor/{tip}/buka: the reporter of that tip may send tips again."""
    viewer = admin_of(request)
    await _run(office_admin.unblock_reporter, services_of(request).db, viewer.telegram_id,
               _number(request, "tip"))
    raise web.HTTPSeeOther("/orang?ok=unblocked")


def qr_svg(link: str) -> Markup:
    """The link as an inline SVG QR code, to scan from the office screen with a phone."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return Markup(image.to_string(encoding="unicode"))  # our own SVG, the link is ours too


async def _run(function, *args):  # type: ignore[no-untyped-def]
    try:
        return await asyncio.to_thread(function, *args)
    except AdminError:
        raise Refused() from None


def _number(request: web.Request, name: str) -> int:
    raw = request.match_info[name]
    if not raw.isdigit() or len(raw) > 10:
        raise web.HTTPNotFound()
    return int(raw)
