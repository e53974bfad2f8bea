"""The tips queue and a tip's page, with every triage action the Telegram buttons have.

Each action calls the same domain function as the button in the chat (bot.domain.tips.triage),
which re-checks on the server that the viewer is an active officer of the tip's office.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from aiohttp import web

from bot.core.i18n import _
from bot.core.storage.models import utcnow
from bot.domain.tips import queue, triage
from bot.domain.tips.submission import TipError
from bot.domain.tips.texts import (
    AT_RISK,
    ESCALATE_TO,
    OUTCOMES,
    STATUS,
    TIMING,
    refusal,
    risk_label,
)
from bot.faces.web.context import services_of, settings_of
from bot.faces.web.rendering import render
from bot.faces.web.security import officer_of

NOTICES = {
    "claimed": lambda: _("You are handling this tip. The reporter has been told."),
    "note": lambda: _("Note saved."),
    "question": lambda: _("Your question was sent to the reporter."),
    "escalated": lambda: _("The tip was escalated. The reporter has been told."),
    "closed": lambda: _("The tip was closed. The reporter has been told."),
    "blocked": lambda: _("This reporter can no longer send tips."),
    "media": lambda: _("The file was sent to your Telegram chat."),
}


EVENTS = {
    "created": lambda: _("sent the tip"),
    "claimed": lambda: _("took the tip"),
    "note": lambda: _("wrote a note"),
    "question": lambda: _("asked the reporter"),
    "answer": lambda: _("answered"),
    "escalated": lambda: _("escalated the tip"),
    "closed": lambda: _("closed the tip"),
    "blocked": lambda: _("blocked the reporter"),
    "unblocked": lambda: _("unblocked the reporter"),
    "reannounced": lambda: _("announced the tip again (nobody had taken it)"),
}
ACTORS = {"reporter": lambda: _("Reporter"), "system": lambda: _("The bot")}


def parse_filter(query: dict) -> queue.TipFilter:
    """The queue's filters from the address; anything odd falls back to the default."""
    village = query.get("desa", "")
    older = query.get("umur", "")
    page = query.get("hal", "1")
    return queue.TipFilter(
        status=query.get("status", "open")[:12],
        urgent=query.get("mendesak") == "1",
        village_id=int(village) if village.isdigit() else None,
        claimed_by=query.get("petugas", "")[:10],
        older_than_hours=float(older) if older.isdigit() else None,
        search=query.get("q", "")[:100],
        page=int(page) if page.isdigit() else 1,
    )


def sla_class(created_at: datetime, status: str, sla_hours: float,
              now: datetime | None = None) -> str:
    """Green while under half the SLA, amber until it, red past it; grey once closed."""
    if status == "closed":
        return "sla-done"
    hours = ((now or utcnow()) - created_at).total_seconds() / 3600
    return "sla-ok" if hours < sla_hours / 2 else "sla-warn" if hours < sla_hours else "sla-late"


async def list_tips(request: web.Request) -> web.Response:
    """GET /laporan: the office's queue."""
    viewer = officer_of(request)
    services, settings = services_of(request), settings_of(request)
    wanted = parse_filter(dict(request.query))
    page = await asyncio.to_thread(queue.office_queue, services.db, viewer.office_id, wanted,
                                   settings.timezone)
    villages = await asyncio.to_thread(queue.office_villages, services.db, viewer.office_id)
    officers = await asyncio.to_thread(queue.office_officers, services.db, viewer.office_id)
    now = utcnow()
    return render(request, "tips.html", queue=page, wanted=wanted, villages=villages,
                  officers=officers, status_names={k: v() for k, v in STATUS.items()},
                  sla={row.id: sla_class(row.created_at, row.status, settings.tip_sla_hours, now)
                       for row in page.rows}, sla_hours=settings.tip_sla_hours,
                  query=dict(request.query))


async def show_tip(request: web.Request) -> web.Response:
    """GET /laporan/{id}: the tip's story and its actions."""
    viewer = officer_of(request)
    services, settings = services_of(request), settings_of(request)
    tip_id = _tip_id(request)
    try:
        story = await asyncio.to_thread(queue.tip_story, services.db, viewer.office_id, tip_id,
                                        settings.timezone)
    except TipError as exc:
        raise web.HTTPNotFound(text=refusal(exc.reason)) from None
    notice = NOTICES.get(request.query.get("ok", ""), lambda: "")()
    error = refusal(request.query["gagal"]) if "gagal" in request.query else ""
    return render(request, "tip.html", story=story, tip=story.tip, notice=notice, error=error,
                  status_names={k: v() for k, v in STATUS.items()},
                  outcomes={k: v() for k, v in OUTCOMES.items()}, escalate_to=ESCALATE_TO,
                  outcome_names={k: v() for k, v in OUTCOMES.items()},
                  at_risk={k: v() for k, v in AT_RISK.items()},
                  timing={k: v() for k, v in TIMING.items()},
                  event_names={k: v() for k, v in EVENTS.items()}, risk_label=risk_label,
                  actor_names={k: v() for k, v in ACTORS.items()},
                  sla=sla_class(story.tip.created_at, story.tip.status, settings.tip_sla_hours))


async def act(request: web.Request) -> web.Response:
    """POST /laporan/{id}/{action}: one triage action, then back to the tip's page."""
    viewer = officer_of(request)
    services = services_of(request)
    tip_id, action = _tip_id(request), request.match_info["action"]
    form = await request.post()
    text = str(form.get("text", "")).strip()
    db, who = services.db, viewer.telegram_id
    calls = {
        "claim": lambda: triage.claim(db, who, tip_id),
        "note": lambda: triage.add_note(db, who, tip_id, text),
        "question": lambda: triage.ask_reporter(db, who, tip_id, text),
        "escalate": lambda: triage.escalate(db, who, tip_id, str(form.get("to", "")), text),
        "close": lambda: triage.close(db, who, tip_id, str(form.get("outcome", ""))),
        "block": lambda: triage.block_reporter(db, who, tip_id),
    }
    done = {"claim": "claimed", "escalate": "escalated", "close": "closed", "block": "blocked",
            "note": "note", "question": "question"}
    if action not in calls or (action in {"note", "question"} and not text):
        raise web.HTTPSeeOther(f"/laporan/{tip_id}?gagal=empty")
    try:
        await asyncio.to_thread(calls[action])
    except TipError as exc:
        raise web.HTTPSeeOther(f"/laporan/{tip_id}?gagal={exc.reason}") from None
    services.wake_outbox()
    raise web.HTTPSeeOther(f"/laporan/{tip_id}?ok={done[action]}")


async def send_media(request: web.Request) -> web.Response:
    """POST /laporan/{id}/berkas/{media}: the file goes to the officer's own Telegram chat."""
    viewer = officer_of(request)
    services = services_of(request)
    tip_id, media_id = _tip_id(request), int(request.match_info["media"])
    try:
        await asyncio.to_thread(queue.send_media_to_officer, services.db, viewer.telegram_id,
                                viewer.office_id, media_id)
    except TipError as exc:
        raise web.HTTPSeeOther(f"/laporan/{tip_id}?gagal={exc.reason}") from None
    services.wake_outbox()
    raise web.HTTPSeeOther(f"/laporan/{tip_id}?ok=media")


def _tip_id(request: web.Request) -> int:
    raw = request.match_info["tip"]
    if not raw.isdigit() or len(raw) > 10:
        raise web.HTTPNotFound()
    return int(raw)
