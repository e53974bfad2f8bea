"""The Programme page: the month's lessons and quizzes per village, and what goes with them.

Also the weekly campaigns, officials' messages to approve (the same decision as the bot's
buttons), the CSV exports, and the quiz results with their charts (drawn on the server).
"""

from __future__ import annotations

import asyncio
import io
from datetime import date, timedelta

from aiohttp import web
from babel.dates import format_date

from bot.core.i18n import _, current_locale
from bot.core.storage.models import utcnow
from bot.domain.programme import calendar, overview
from bot.domain.programme.approvals import ApprovalError, decide
from bot.domain.programme.charts import week_label
from bot.domain.programme.result_charts import (
    hardest_svg,
    participation_svg,
    question_label,
    villages_svg,
)
from bot.domain.programme.results import recent_results
from bot.domain.tips.records import export_office
from bot.faces.web.context import services_of, settings_of
from bot.faces.web.paid_spend import paid_spend
from bot.faces.web.rendering import render
from bot.faces.web.security import Refused, officer_of

MONDAY = date(2026, 11, 30)


async def show(request: web.Request) -> web.Response:
    """GET /program?bulan=2026-12."""
    viewer = officer_of(request)
    db = services_of(request).db
    year, month = calendar.month_of(request.query.get("bulan", ""), utcnow().date())
    days, campaigns, waiting, paid = await asyncio.gather(
        asyncio.to_thread(calendar.month_entries, db, viewer.office_id, year, month),
        asyncio.to_thread(calendar.campaigns, db, viewer.office_id),
        asyncio.to_thread(calendar.awaiting, db, viewer.office_id),
        asyncio.to_thread(paid_spend, db, settings_of(request)))
    previous = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
    following = f"{year + (month == 12)}-{month % 12 + 1:02d}"
    library = services_of(request).library
    titles = {**{k: v.title for k, v in library.lessons.items()},
              **{k: v.question for k, v in library.questions.items()}} if library else {}
    return render(request, "programme.html", weeks=calendar.month_weeks(year, month),
                  days=days, campaigns=campaigns, waiting=waiting, titles=titles, paid=paid,
                  topics=library.topics if library else {},
                  month_name=format_date(date(year, month, 1), "MMMM y",
                                         locale=current_locale()),
                  previous=previous, following=following,
                  today=utcnow().astimezone(settings_of(request).tz).date(),
                  weekdays=_weekdays("EEE"), long_weekdays=_weekdays("EEEE"))


def _weekdays(pattern: str) -> list[str]:
    """Monday to Sunday in Indonesian (30 November 2026 was a Monday)."""
    return [format_date(MONDAY + timedelta(days=i), pattern, locale=current_locale())
            for i in range(7)]


async def results(request: web.Request) -> web.Response:
    """GET /program/hasil?desa=: the quiz results of the office, or of one of its villages."""
    viewer = officer_of(request)
    village = await _results_village(request, viewer.office_id)
    figures = await asyncio.to_thread(recent_results, services_of(request).db, viewer.office_id,
                                      village.id if village else None)
    library = services_of(request).library
    questions = {k: v.question for k, v in library.questions.items()} if library else {}
    topics = library.topics if library else {}
    return render(request, "results.html", results=figures, village=village,
                  query=f"?desa={village.id}" if village else "",
                  hardest=[(question_label(q.question_id, q.topic, questions, topics), q)
                           for q in figures.hardest], week_label=week_label)


async def results_chart(request: web.Request) -> web.Response:
    """GET /program/hasil/{partisipasi|desa|soal}.svg: one chart of the results page."""
    viewer = officer_of(request)
    kind = request.match_info["kind"]
    if kind not in {"partisipasi", "desa", "soal"}:
        raise web.HTTPNotFound()
    village = await _results_village(request, viewer.office_id)
    figures = await asyncio.to_thread(recent_results, services_of(request).db, viewer.office_id,
                                      village.id if village else None)
    library = services_of(request).library
    labels = {"participation": _("People who answered the quiz each week"),
              "people": _("people"), "share": _("share of subscribers (%)"),
              "villages": _("Score per village per week (villages with most answers)"),
              "hardest": _("Hardest questions: share of right answers (answers)"),
              "none": _("no answers yet")}
    if kind == "partisipasi":
        svg = await asyncio.to_thread(participation_svg, figures, labels)
    elif kind == "desa":
        svg = await asyncio.to_thread(villages_svg, figures, labels)
    else:
        questions = {k: v.question for k, v in library.questions.items()} if library else {}
        svg = await asyncio.to_thread(hardest_svg, figures, labels, questions,
                                      library.topics if library else {})
    return web.Response(body=svg, content_type="image/svg+xml")


async def _results_village(request: web.Request, office_id: int | None):  # type: ignore[no-untyped-def]
    """The office's village asked for with ?desa=, None for all; 404 for another office's."""
    raw = request.query.get("desa", "")
    if not raw:
        return None
    village = await asyncio.to_thread(overview.village_of, services_of(request).db,
                                      int(raw), office_id) if raw.isdigit() and len(raw) < 10 \
        else None
    if village is None:
        raise web.HTTPNotFound()
    return village


async def decide_message(request: web.Request) -> web.Response:
    """POST /program/pesan/{id}/{setujui|tolak}: approve or reject an official's message."""
    viewer = officer_of(request)
    services = services_of(request)
    raw, verdict = request.match_info["id"], request.match_info["verdict"]
    if not raw.isdigit() or verdict not in {"setujui", "tolak"}:
        raise web.HTTPNotFound()
    try:
        await asyncio.to_thread(decide, services.db, viewer.telegram_id, int(raw),
                                verdict == "setujui")
    except ApprovalError as exc:
        if exc.reason == "forbidden":
            raise Refused() from None
    services.wake_deliveries()
    services.wake_outbox()
    raise web.HTTPSeeOther("/program?ok=decided")


async def export_tips(request: web.Request) -> web.Response:
    """GET /program/laporan.csv: the office's tips (reporters named only with consent)."""
    viewer = officer_of(request)
    db = services_of(request).db

    out = io.StringIO()
    await asyncio.to_thread(export_office, db, viewer.office_id, out)
    return _csv(out.getvalue(), "laporan.csv")


async def export_quiz(request: web.Request) -> web.Response:
    """GET /program/kuis.csv: quiz results of the office's villages."""
    viewer = officer_of(request)
    out = io.StringIO()
    await asyncio.to_thread(calendar.export_quiz_results, services_of(request).db,
                            viewer.office_id, out)
    return _csv(out.getvalue(), "hasil-kuis.csv")


def _csv(text: str, name: str) -> web.Response:
    return web.Response(text=text, content_type="text/csv", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})

