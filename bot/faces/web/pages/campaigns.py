"""Recruiters' campaigns (issue 17): the office's list, one campaign, verdicts, warning lesson.

Each action calls the same domain function as the alert's buttons in the office's group
(bot.domain.campaigns.verdicts), which re-checks on the server that the viewer is an active
officer of an office the campaign reached and writes the verdict to the campaign's audit log.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.core.i18n import _
from bot.domain.campaigns import verdicts
from bot.domain.campaigns.texts import (
    VERDICTS,
    contact_line,
    lesson_sent,
    refusal,
    verdict_recorded,
)
from bot.domain.campaigns.timeline import campaign_timeline
from bot.domain.campaigns.verdicts import CampaignError
from bot.faces.web.context import services_of
from bot.faces.web.rendering import render
from bot.faces.web.security import Refused, officer_of


async def list_campaigns(request: web.Request) -> web.Response:
    """GET /kampanye: the campaigns that reached the office's villages, latest first."""
    viewer = officer_of(request)
    views = await asyncio.to_thread(verdicts.campaigns_of_office, services_of(request).db,
                                    viewer.office_id)
    return render(request, "campaigns.html", campaigns=views, contact_line=contact_line,
                  **_names())


async def show_campaign(request: web.Request) -> web.Response:
    """GET /kampanye/{id}: samples, contacts, villages, timeline and the verdict buttons."""
    viewer = officer_of(request)
    db, campaign_id = services_of(request).db, _campaign_id(request)
    view = await asyncio.to_thread(verdicts.campaign_of_office, db, viewer.office_id,
                                   campaign_id)
    if view is None:
        raise web.HTTPNotFound()
    timeline = await asyncio.to_thread(campaign_timeline, db, viewer.office_id, view.id)
    return render(request, "campaign.html", campaign=view, timeline=timeline,
                  contacts=[contact_line(c) for c in view.contacts],
                  notice=_notice(request, view.id), error=_error(request), **_names())


async def give_verdict(request: web.Request) -> web.Response:
    """POST /kampanye/{id}/putusan/{verdict}: confirmed / legitimate / unsure."""
    viewer = officer_of(request)
    services, campaign_id = services_of(request), _campaign_id(request)
    verdict = request.match_info["verdict"]
    if verdict not in VERDICTS:
        raise web.HTTPNotFound()
    told = await _act(campaign_id, verdicts.give_verdict, services.db, viewer.telegram_id,
                      campaign_id, verdict)
    services.wake_outbox()
    raise web.HTTPSeeOther(f"/kampanye/{campaign_id}?ok={verdict}&n={told}")


async def send_lesson(request: web.Request) -> web.Response:
    """POST /kampanye/{id}/pelajaran: the warning lesson to the villages reached (broadcasts)."""
    viewer = officer_of(request)
    services, campaign_id = services_of(request), _campaign_id(request)
    count = await _act(campaign_id, verdicts.send_warning_lesson, services.db,
                       viewer.telegram_id, campaign_id)
    services.wake_deliveries()
    raise web.HTTPSeeOther(f"/kampanye/{campaign_id}?ok=lesson&n={count}")


async def _act(campaign_id: int, function, *args):  # type: ignore[no-untyped-def]
    """Run the domain's action; a refusal is a 403 page, anything else a message on the page."""
    try:
        return await asyncio.to_thread(function, *args)
    except CampaignError as exc:
        if exc.reason == "forbidden":
            raise Refused() from None
        raise web.HTTPSeeOther(f"/kampanye/{campaign_id}?gagal={exc.reason}") from None


def _names() -> dict[str, dict[str, str]]:
    return {"verdict_names": {k: v() for k, v in VERDICTS.items()},
            "risk_names": {"high": _("high"), "medium": _("medium"), "low": _("low")}}


def _notice(request: web.Request, campaign_id: int) -> str:
    """What the last action did, in the same words as the chat's answer."""
    done, raw = request.query.get("ok", ""), request.query.get("n", "0")
    count = int(raw) if raw.isdigit() and len(raw) < 7 else 0
    if done == "lesson":
        return lesson_sent(count)
    return verdict_recorded(campaign_id, done, count).text if done in VERDICTS else ""


def _error(request: web.Request) -> str:
    return refusal(request.query["gagal"][:20]) if "gagal" in request.query else ""


def _campaign_id(request: web.Request) -> int:
    raw = request.match_info["campaign"]
    if not raw.isdigit() or len(raw) > 10:
        raise web.HTTPNotFound()
    return int(raw)
