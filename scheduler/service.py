"""The APScheduler that ticks the programme every half minute inside the bot's event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.storage.models import utcnow
from bot.core.storage.session import Database
from bot.domain.programme.library import Library
from scheduler.ticker import tick

log = logging.getLogger(__name__)
TICK_SECONDS = 30


def start_scheduler(db: Database, library: Library, grace: timedelta,
                    on_work: Callable[[], None]) -> AsyncIOScheduler:
    """Start ticking; `on_work` is called when a tick stored something to deliver."""

    async def run_tick() -> None:
        result = await asyncio.to_thread(tick, db, library, utcnow(), grace)
        if result.anything:
            on_work()

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(run_tick, IntervalTrigger(seconds=TICK_SECONDS), id="programme-tick",
                      max_instances=1, coalesce=True, next_run_time=utcnow())
    scheduler.start()
    return scheduler
