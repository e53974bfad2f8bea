"""The work a bot process does beside answering: broadcasts, the leader's jobs, warm-ups.

Every process delivers broadcasts; the outbox, the scheduler and the periodic jobs run in the
one process that leads the deployment. Started by `app.build_application`'s post_init.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from datetime import timedelta

from telegram.ext import Application

from bot.core.memory import release_free_memory
from bot.core.storage.leader import Leadership
from bot.domain.campaigns.store import purge as purge_campaign_texts
from bot.domain.campaigns.store import warm as warm_campaign_index
from bot.domain.messaging import conversation_state
from bot.domain.messaging.update_claims import forget_old
from bot.domain.programme import gazetteer
from bot.domain.services import Services
from bot.domain.tips.submission import reannounce_due
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.roles import SOLE, BotRole
from bot.faces.telegram.senders.delivery_worker import DeliveryWorker
from bot.faces.telegram.senders.outbox_worker import OutboxWorker
from scheduler.service import start_scheduler

log = logging.getLogger(__name__)
LEAD_RETRY = 15  # seconds between a follower's tries to take over the leader's work


def start_background(app: Application, own: Services, role: BotRole = SOLE) -> None:
    """Broadcast deliveries in every process; the once-per-deployment work in the leader.

    Every process claims deliveries (`broadcasts.next_jobs`), so a broadcast goes as fast as
    the budget allows whichever processes run. The outbox, the scheduler and the periodic jobs
    run in one process only (`Leadership`: a PostgreSQL advisory lock; SQLite always leads),
    so a lesson is not released twice; the others try to take over every LEAD_RETRY seconds.
    With regional bots, each bot sends its own villages' deliveries and only the default bot
    takes part in leading (its outbox worker sends through every bot, `fleet.Fleet`).
    """
    deliveries = DeliveryWorker(app.bot, own, role.share)
    deliveries.start()
    app.bot_data["delivery_worker"] = deliveries
    stop_warming = threading.Event()
    app.bot_data["campaign_warmup"] = (asyncio.create_task(warm_campaigns(own, stop_warming)),
                                       stop_warming)
    if own.settings.gazetteer_warmup and "gazetteer_warmup" not in app.bot_data:
        app.bot_data["gazetteer_warmup"] = asyncio.create_task(warm_gazetteer())
    if not role.primary:
        return
    leadership = Leadership(own.db)
    app.bot_data["leadership"] = leadership

    async def lead(context: BotContext) -> None:
        if "outbox_worker" in app.bot_data or not await asyncio.to_thread(leadership.try_lead):
            return
        log.info("this process leads: outbox, scheduler and periodic jobs run here")
        start_leader_work(app, own)
        if context.job is not None:
            context.job.schedule_removal()

    if leadership.try_lead():
        start_leader_work(app, own)
    else:
        app.job_queue.run_repeating(lead, interval=LEAD_RETRY, first=LEAD_RETRY, name="lead")


async def warm_campaigns(own: Services, stop: threading.Event) -> None:
    """Load the stored campaign texts into this process's index while the bot already answers.

    Without it the first offer check after a restart loads them all while a villager waits
    (issue 17); in a worker thread, a chunk at a time, it delays nobody's reply.
    """
    started = time.monotonic()
    try:
        count = await asyncio.to_thread(warm_campaign_index, own.db, stop)
    except Exception:  # the index then loads at the first offer check, as before
        log.exception("could not load the campaign index at start-up")
        return
    log.info("campaign index loaded: %d stored texts in %.1f s", count,
             time.monotonic() - started)


async def warm_gazetteer() -> None:
    """Load the national village list while the bot already answers.

    Without it the first village search of a process (a villager's /desa with a typo, an
    office adding a village on the dashboard) built the 82,503-village index while the
    person waited: 2.5 to 7 s on a busy two-core machine.
    """
    started = time.monotonic()
    try:
        count = await asyncio.to_thread(gazetteer.count)
    except Exception:  # it then loads at the first search, as before
        log.exception("could not load the village list at start-up")
        return
    gc.freeze()  # like the content and the model: the collector need not walk them
    release_free_memory()  # the tables the loading freed go back to the system
    log.info("village list loaded: %d villages in %.1f s", count, time.monotonic() - started)


def start_leader_work(app: Application, own: Services) -> None:
    """The outbox, the scheduler and the periodic jobs (once per deployment)."""
    outbox = OutboxWorker(app.bot, own, app.bot_data.get("fleet"))
    outbox.start()
    app.bot_data["outbox_worker"] = outbox
    grace = timedelta(minutes=own.settings.schedule_grace_minutes)
    app.bot_data["scheduler"] = start_scheduler(own.db, own.library, grace,
                                                own.wake_deliveries)
    minutes = own.settings.tip_reannounce_minutes
    app.job_queue.run_repeating(housekeeping_job, interval=3600, first=60,
                                name="housekeeping")
    app.job_queue.run_repeating(reannounce_job, interval=60, first=10,
                                data=timedelta(minutes=minutes), name="reannounce")


async def reannounce_job(context: BotContext) -> None:
    """Alert officers again about tips nobody claimed in time."""
    services = context.services
    count = await asyncio.to_thread(reannounce_due, services.db, context.job.data)
    if count:
        log.info("re-announced %d unclaimed tip(s)", count)
        services.wake_outbox()


async def housekeeping_job(context: BotContext) -> None:
    """Forget old update ids, expired conversation states and old campaign texts."""
    await asyncio.to_thread(forget_old, context.services.db)
    await asyncio.to_thread(conversation_state.forget_expired, context.services.db)
    await asyncio.to_thread(purge_campaign_texts, context.services.db,
                            context.services.settings.campaign_retention_days)
