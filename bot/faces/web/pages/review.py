"""Content review: the questions the bot could not answer, grouped, counted, markable, exported.

The questions are stored without who asked them, so any officer may review them.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.domain.answers.unanswered import mark_reviewed, review_queue, training_candidates
from bot.faces.web.context import services_of
from bot.faces.web.rendering import render
from bot.faces.web.security import officer_of


async def show(request: web.Request) -> web.Response:
    """GET /tinjauan: the unanswered questions by the NLU's best guess."""
    officer_of(request)
    everything = request.query.get("semua") == "1"
    groups = await asyncio.to_thread(review_queue, services_of(request).db, everything)
    return render(request, "review.html", groups=groups, everything=everything)


async def reviewed(request: web.Request) -> web.Response:
    """POST /tinjauan: mark the ticked questions as reviewed."""
    officer_of(request)
    form = await request.post()
    ids = [int(v) for v in form.getall("q", []) if str(v).isdigit()]
    await asyncio.to_thread(mark_reviewed, services_of(request).db, ids)
    raise web.HTTPSeeOther("/tinjauan?ok=reviewed")


async def export(request: web.Request) -> web.Response:
    """GET /tinjauan/kandidat.yml: candidate training examples to check by hand."""
    officer_of(request)
    text = await asyncio.to_thread(training_candidates, services_of(request).db)
    return web.Response(text=text, content_type="text/yaml", headers={
        "Content-Disposition": 'attachment; filename="kandidat-nlu.yml"'})
