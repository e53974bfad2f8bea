"""The composition root: builds the Application, its services and its handlers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    TypeHandler,
)

from bot.core.bot_tokens import SPEAKING_BOT
from bot.core.config import Settings
from bot.core.i18n import _
from bot.core.memory import release_free_memory
from bot.core.paths import content_dir, nlu_dir
from bot.core.storage.session import Database
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.retrieval import QuestionIndex
from bot.domain.campaigns.checks import configure as configure_campaigns
from bot.domain.content.yamlfile import ContentError
from bot.domain.messaging import conversation_state
from bot.domain.messaging.update_claims import UpdateClaims
from bot.domain.offers.rules import load_rules
from bot.domain.programme.library import Library
from bot.domain.services import Services
from bot.domain.tips.triage import reporters_with_open_tips
from bot.faces.telegram.background import start_background
from bot.faces.telegram.context import BotApplication, BotContext
from bot.faces.telegram.ext_bot import DesaBot
from bot.faces.telegram.handlers import (
    approvals,
    buttons,
    campaigns,
    chat,
    checks,
    dashboard,
    detours,
    errors,
    pending,
    programme,
    reporting,
    start,
    triage,
    villages,
)
from bot.faces.telegram.http_client import AiohttpRequest
from bot.faces.telegram.ordering import PerChatUpdateProcessor
from bot.faces.telegram.person_state import PersonState, SharedLocks
from bot.faces.telegram.retry_after import PerChatRetryLimiter
from bot.faces.telegram.roles import SOLE, BotRole
from bot.faces.telegram.send_budget import RedisBudget
from nlu.service import Understanding

log = logging.getLogger(__name__)
WORKER_THREADS = 16  # NLU and database calls in flight at once (see use_worker_threads)
FEATURES = (start, buttons, pending, villages, programme, approvals, reporting, triage, dashboard,
            campaigns, checks, detours, chat, errors)
# Something served beside the bot in its event loop (the web dashboard): started with the
# bot's services and each bot's @username by key once the bot is up; returns the coroutine
# that stops it.
BotNames = Callable[[str | None], str]
Companion = Callable[[Services, BotNames], Awaitable[Callable[[], Awaitable[None]]]]


def bot_names(app: Application) -> BotNames:
    """The @username of this deployment's bot with a key (None or unknown: this bot).

    Read at request time: the regional bots start after the default one that serves the
    dashboard, so their names are not known when it starts.
    """
    def name(key: str | None) -> str:
        fleet = app.bot_data.get("fleet")
        bot = fleet.bot(key) if fleet is not None and key is not None else app.bot
        try:
            return bot.username or app.bot.username or ""
        except RuntimeError:  # that bot has not started (getMe) yet
            return app.bot.username or ""
    return name


async def skip_redelivered(update: object, context: BotContext) -> None:
    """Stop here when this update was already handled before a restart.

    First of all it names the bot this update came to (for the domain: SPEAKING_BOT).
    """
    SPEAKING_BOT.set(context.bot_data["role"].speaking)
    claims = context.bot_data["claims"]
    if isinstance(update, Update) and not await claims.claim(update.update_id):
        log.info("update %s was already handled; skipped", update.update_id)
        chat = update.effective_chat
        if claims.unanswered(update.update_id) and chat is not None and chat.type == "private":
            # Its process died while handling it: handled again, its work might be done
            # twice (a report sent twice); skipped in silence, the villager waits forever.
            await context.bot.send_message(chat.id, _(
                "Sorry, your last message could not be answered because of a disruption. "
                "Please send it again."))
        raise ApplicationHandlerStop


def bot_id_of(token: str) -> int:
    """The bot's id, which Telegram puts before the colon of every token of that bot.

    Update ids are counted per bot, so the claims are kept per bot id; taken from the token,
    it is known before any request and is the same for a token renewed with @BotFather.
    """
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0


async def tell_to_slow_down(app: Application, update: Update) -> None:
    """Once per flood, in the flooder's private chat (never in a group): why nothing comes back."""
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    with contextlib.suppress(TelegramError):
        await app.bot.send_message(chat.id, _(
            "You are sending messages faster than I can answer. Please wait a moment and send "
            "one message at a time; the messages sent too quickly were not read."))


def use_worker_threads(loop: asyncio.AbstractEventLoop) -> None:
    """Give `asyncio.to_thread` enough threads for a campaign's load.

    Every update waits in a thread for the NLU and the database. The default pool has
    cores + 4 threads (6 here), so with PostgreSQL, where a thread mostly waits on the
    server, six slow round trips would hold up every other villager.
    """
    if not getattr(loop, "_desabot_threads", False):
        loop.set_default_executor(ThreadPoolExecutor(WORKER_THREADS,
                                                     thread_name_prefix="desabot-work"))
        loop._desabot_threads = True  # type: ignore[attr-defined]


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


def bot_description() -> str:
    """What Telegram shows in an empty chat before /start (at most 512 characters)."""
    return _("The Desa Binaan assistant of the immigration office. Ask in your own words how "
             "to work abroad safely and legally, have a job offer or an agency checked, or "
             "report a suspicious recruiter; your identity stays hidden unless you agree. "
             "Press Start.")


def bot_short_description() -> str:
    """The line on the bot's profile and in shared links (at most 120 characters)."""
    return _("Work abroad safely: questions, offer checks and reports to the immigration office.")


def build_services(settings: Settings) -> Services:
    """Load content and the NLU and connect to the database (no network)."""
    answers = AnswerBook.load(content_dir() / "id" / "answers")
    nlu = Understanding.create(nlu_dir(), settings.data_dir / "nlu-cache", settings.nlu_backend,
                               settings.rasa_url, settings.rasa_timeout)
    index = QuestionIndex.for_book(answers)
    library = Library.load(content_dir() / "id")
    try:
        load_rules()  # a broken red-flag file stops start-up here, not at the first offer
    except ValueError as exc:
        raise ContentError(str(exc)) from None
    configure_campaigns(settings)
    return Services(settings, Database(settings.database_url), answers, nlu, index, library)


def make_bot(settings: Settings) -> DesaBot:
    """The Bot API client: our HTTP client, python-telegram-bot's rate limiter."""
    base = settings.api_base_url
    return DesaBot(
        settings.token or "",
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        # A timed-out send may still have arrived: long timeouts make the outbox retry only
        # what was really lost, so it rarely sends anything twice.
        request=AiohttpRequest(pool_size=256, read_timeout=15, write_timeout=15,
                               connect_timeout=10),
        get_updates_request=AiohttpRequest(pool_size=1, read_timeout=30, write_timeout=15,
                                           connect_timeout=10),
        rate_limiter=PerChatRetryLimiter(max_retries=5, overall_max_rate=settings.max_send_rate),
    )


def build_application(settings: Settings, services: Services | None = None,
                      background: bool = True,
                      companions: Sequence[Companion] = (), role: BotRole = SOLE,
                      provide: Callable[[], Services] | None = None) -> BotApplication:
    """Build the bot; `services` may be passed in by tests that share them between runs.

    `background=False` leaves out the outbox, broadcasts, scheduler and periodic jobs (the
    benchmarks that measure replies alone). `role` and `provide` (the services of the
    default bot's application) are for a regional bot of several (`fleet.build_fleet`).
    """
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta

    async def post_init(app: Application) -> None:
        use_worker_threads(asyncio.get_running_loop())
        own = services or (provide() if provide else build_services(settings))
        app.bot_data["services"] = own
        app.bot_data["claims"] = UpdateClaims(own.db, bot_id_of(app.bot.token),
                                              flag=reporters_with_open_tips)
        locks = SharedLocks(settings.redis_url) if settings.redis_url else None
        if settings.redis_url:  # one sending budget for all the processes of this token
            app.bot.use_budget(RedisBudget(settings.redis_url, app.bot.token,
                                           overall=settings.send_budget_per_second))
        processor.state = PersonState(app, own.db, conversation_state.TTL, locks,
                                      app.bot_data["claims"])
        await app.bot.set_my_commands(command_menu())
        await app.bot.set_my_description(bot_description())
        await app.bot.set_my_short_description(bot_short_description())
        if background:
            start_background(app, own, role)
        app.bot_data["companion_stops"] = [await start(own, bot_names(app))
                                           for start in companions]
        # The content, the NLU model and the libraries are a few hundred thousand objects that
        # live as long as the process. Left to the collector, every full collection walks all
        # of them while villagers wait (tens of milliseconds); frozen, it skips them.
        gc.freeze()
        release_free_memory()  # what loading freed goes back to the system

    async def post_stop(app: Application) -> None:
        for stop in app.bot_data.pop("companion_stops", []):
            await stop()
        villages_loading = app.bot_data.pop("gazetteer_warmup", None)
        if villages_loading is not None:
            await villages_loading  # a thread cannot be stopped; it ends within seconds
        warming, stop_warming = app.bot_data.pop("campaign_warmup", (None, None))
        if warming is not None:
            stop_warming.set()
            await warming
        scheduler = app.bot_data.pop("scheduler", None)
        if scheduler:
            scheduler.shutdown(wait=False)
        for name in ("outbox_worker", "delivery_worker"):
            worker = app.bot_data.pop(name, None)
            if worker:
                await worker.stop()
        await app.bot.budget.close()
        leadership = app.bot_data.pop("leadership", None)
        if leadership:
            await asyncio.to_thread(leadership.resign)
        if processor.state is not None and processor.state.locks is not None:
            await processor.state.locks.close()

    async def post_shutdown(app: Application) -> None:
        own = app.bot_data.get("services")
        if own is not None and services is None and provide is None:
            own.db.dispose()
            own.nlu.close()

    processor = PerChatUpdateProcessor(64)
    app = (
        ApplicationBuilder()
        .bot(make_bot(settings))
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(processor)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    processor.on_flood = lambda update: tell_to_slow_down(app, update)
    app.bot_data["role"] = role
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
