"""The composition root: builds the Application, its services and its handlers."""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import timedelta

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    TypeHandler,
)

from bot.config import Settings
from bot.content.yamlfile import ContentError
from bot.db.session import Database
from bot.domain.answers import AnswerBook
from bot.domain.dedupe import first_time, forget_old
from bot.domain.library import Library
from bot.domain.offer_rules import load_rules
from bot.domain.retrieval import QuestionIndex
from bot.domain.tips import reannounce_due
from bot.handlers import (
    approvals,
    buttons,
    chat,
    checks,
    errors,
    pending,
    programme,
    reporting,
    start,
    triage,
    villages,
)
from bot.handlers.delivery_worker import DeliveryWorker
from bot.handlers.outbox_worker import OutboxWorker
from bot.i18n import _
from bot.ordering import PerChatUpdateProcessor
from bot.paths import content_dir, nlu_dir
from bot.services import BotApplication, BotContext, Services
from nlu.service import Understanding
from scheduler.service import start_scheduler

log = logging.getLogger(__name__)
FEATURES = (start, buttons, pending, villages, programme, approvals, reporting, triage, checks,
            chat, errors)


async def reannounce_job(context: BotContext) -> None:
    """Alert officers again about tips nobody claimed in time."""
    services = context.services
    count = await asyncio.to_thread(reannounce_due, services.db, context.job.data)
    if count:
        log.info("re-announced %d unclaimed tip(s)", count)
        services.wake_outbox()


async def skip_redelivered(update: object, context: BotContext) -> None:
    """Stop here when this update was already handled before a restart."""
    if isinstance(update, Update) and not await asyncio.to_thread(
            first_time, context.services.db, update.update_id):
        log.info("update %s was already handled; skipped", update.update_id)
        raise ApplicationHandlerStop


async def housekeeping_job(context: BotContext) -> None:
    """Forget old update ids."""
    await asyncio.to_thread(forget_old, context.services.db)


def command_menu() -> list[BotCommand]:
    """The command menu Telegram shows, in Indonesian."""
    return [
        BotCommand("start", _("Start and show the menu")),
        BotCommand("bantuan", _("Help: what the bot can do")),
        BotCommand("menu", _("Topics menu")),
        BotCommand("lapor", _("Report a suspicious offer or recruiter")),
        BotCommand("status", _("Status of your report")),
        BotCommand("batal", _("Cancel what you are doing")),
        BotCommand("desa", _("Join your village's lessons and quizzes")),
        BotCommand("kuis", _("Take a quiz question")),
        BotCommand("berhenti", _("Stop receiving lessons and quizzes")),
    ]


def build_services(settings: Settings) -> Services:
    """Load content and the NLU and connect to the database (no network)."""
    answers = AnswerBook.load(content_dir() / "id" / "answers")
    nlu = Understanding.create(nlu_dir(), settings.data_dir / "nlu-cache", settings.nlu_backend,
                               settings.rasa_url, settings.rasa_timeout)
    index = QuestionIndex({i: a.questions for i, a in answers.answers.items()})
    library = Library.load(content_dir() / "id")
    try:
        load_rules()  # a broken red-flag file stops start-up here, not at the first offer
    except ValueError as exc:
        raise ContentError(str(exc)) from None
    return Services(settings, Database(settings.database_url), answers, nlu, index, library)


def build_application(settings: Settings, services: Services | None = None) -> BotApplication:
    """Build the bot; `services` may be passed in by tests that share them between runs."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta

    async def post_init(app: Application) -> None:
        own = services or build_services(settings)
        app.bot_data["services"] = own
        await app.bot.set_my_commands(command_menu())
        for name, worker in (("outbox_worker", OutboxWorker(app.bot, own)),
                             ("delivery_worker", DeliveryWorker(app.bot, own))):
            worker.start()
            app.bot_data[name] = worker
        grace = timedelta(minutes=own.settings.schedule_grace_minutes)
        app.bot_data["scheduler"] = start_scheduler(own.db, own.library, grace,
                                                    own.wake_deliveries)
        minutes = own.settings.tip_reannounce_minutes
        app.job_queue.run_repeating(housekeeping_job, interval=3600, first=60,
                                    name="housekeeping")
        app.job_queue.run_repeating(reannounce_job, interval=60, first=10,
                                    data=timedelta(minutes=minutes), name="reannounce")

    async def post_stop(app: Application) -> None:
        scheduler = app.bot_data.pop("scheduler", None)
        if scheduler:
            scheduler.shutdown(wait=False)
        for name in ("outbox_worker", "delivery_worker"):
            worker = app.bot_data.pop(name, None)
            if worker:
                await worker.stop()

    async def post_shutdown(app: Application) -> None:
        own = app.bot_data.get("services")
        if own is not None and services is None:
            own.db.dispose()
            own.nlu.close()

    base = settings.api_base_url
    app = (
        ApplicationBuilder()
        .token(settings.token or "")
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.max_send_rate, max_retries=5))
        .concurrent_updates(PerChatUpdateProcessor(64))
        .get_updates_read_timeout(30)
        .read_timeout(15)  # a timed-out send may still have arrived: retry it only when
        .write_timeout(15)  # really lost, so the outbox rarely sends anything twice
        .connect_timeout(10)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.add_handler(TypeHandler(Update, skip_redelivered), group=-100)
    for feature in FEATURES:
        feature.register(app)
    return app  # type: ignore[return-value]



async def start_app(app: BotApplication) -> None:
    """Initialise and start like run_polling does (post_init included), without polling."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()


async def stop_app(app: BotApplication) -> None:
    """Stop and shut down like run_polling does (post_stop and post_shutdown included)."""
    if app.updater and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)
