"""The composition root: builds the Application, its services and its handlers."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import BotCommand
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.config import Settings
from bot.db.session import Database
from bot.domain.answers import AnswerBook
from bot.domain.retrieval import QuestionIndex
from bot.domain.tips import reannounce_due
from bot.handlers import buttons, chat, checks, errors, reporting, start, triage
from bot.handlers.outbox_worker import OutboxWorker
from bot.i18n import _
from bot.ordering import PerChatUpdateProcessor
from bot.paths import content_dir, nlu_dir
from bot.services import BotApplication, BotContext, Services
from nlu.service import Understanding

log = logging.getLogger(__name__)
FEATURES = (start, buttons, reporting, triage, checks, chat, errors)


async def reannounce_job(context: BotContext) -> None:
    """Alert officers again about tips nobody claimed in time."""
    services = context.services
    count = await asyncio.to_thread(reannounce_due, services.db, context.job.data)
    if count:
        log.info("re-announced %d unclaimed tip(s)", count)
        services.wake_outbox()


def command_menu() -> list[BotCommand]:
    """The command menu Telegram shows, in Indonesian."""
    return [
        BotCommand("start", _("Start and show the menu")),
        BotCommand("bantuan", _("Help: what the bot can do")),
        BotCommand("menu", _("Topics menu")),
        BotCommand("lapor", _("Report a suspicious offer or recruiter")),
        BotCommand("status", _("Status of your report")),
        BotCommand("batal", _("Cancel what you are doing")),
    ]


def build_services(settings: Settings) -> Services:
    """Load content and the NLU and connect to the database (no network)."""
    answers = AnswerBook.load(content_dir() / "id" / "answers")
    nlu = Understanding.create(nlu_dir(), settings.data_dir / "nlu-cache", settings.nlu_backend,
                               settings.rasa_url, settings.rasa_timeout)
    index = QuestionIndex({i: a.questions for i, a in answers.answers.items()})
    return Services(settings, Database(settings.database_url), answers, nlu, index)


def build_application(settings: Settings, services: Services | None = None) -> BotApplication:
    """Build the bot; `services` may be passed in by tests that share them between runs."""

    async def post_init(app: Application) -> None:
        own = services or build_services(settings)
        app.bot_data["services"] = own
        await app.bot.set_my_commands(command_menu())
        worker = OutboxWorker(app.bot, own)
        worker.start()
        app.bot_data["outbox_worker"] = worker
        minutes = own.settings.tip_reannounce_minutes
        app.job_queue.run_repeating(reannounce_job, interval=60, first=10,
                                    data=timedelta(minutes=minutes), name="reannounce")

    async def post_stop(app: Application) -> None:
        worker = app.bot_data.pop("outbox_worker", None)
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
        .rate_limiter(AIORateLimiter(max_retries=5))
        .concurrent_updates(PerChatUpdateProcessor(64))
        .get_updates_read_timeout(30)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    for feature in FEATURES:
        feature.register(app)
    return app  # type: ignore[return-value]

