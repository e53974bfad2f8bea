"""Webhook mode: our own small aiohttp server, so the secret token and /health are ours.

Telegram sends every update with the secret token in a header; a request without it (a
stranger who found the URL) is refused before anything is parsed.

An update is answered 200 only after it was handled. Telegram sends one chat's updates one at
a time, the next only after the previous was answered (and retries a failed one before the
chat's later ones), while different chats go over up to `max_connections` connections at once.
Answering after handling is what keeps a chat's order when many identical processes behind a
reverse proxy share the webhook: no process gets a chat's next update before its current one
is done, whichever process that was.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import Update

from bot.core.bot_tokens import DEFAULT_KEY, webhook_path, webhook_secret_for
from bot.core.storable_text import may_need_cleaning, storable_json
from bot.core.storage.session import Database
from bot.faces.telegram.context import BotApplication
from bot.faces.telegram.webhook_answer import SLOT, AnswerSlot

if TYPE_CHECKING:
    from bot.faces.telegram.fleet import Fleet

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/telegram"
# A client has this long to send its request line and headers, and then its body: 300 slow
# connections once held the server for 40 s. Telegram sends an update in milliseconds.
CLIENT_TIMEOUT = 10.0
MAX_CONNECTIONS = 100  # Telegram's maximum: this many chats' updates in flight at once


def make_webhook_app(app: BotApplication, secret: str,
                     timeout: float = CLIENT_TIMEOUT) -> web.Application:
    """The HTTP app of a single-process bot: updates go to its own queue."""
    return make_webhook_server(deliverer(app), secret, health_of(app), timeout)


def make_fleet_webhook_app(fleet: Fleet, secret: str,
                           timeout: float = CLIENT_TIMEOUT) -> web.Application:
    """One server for every bot: `/telegram/<key>`, each checked with the bot's own secret.

    The path names the bot by its key, never by its token (a URL lands in proxy logs).
    """
    server = make_webhook_server(None, secret, health_of(fleet.primary), timeout)
    for key, app in fleet.apps.items():
        add_receiver(server, webhook_path(key), deliverer(app),
                     webhook_secret_for(secret, key), timeout)
    return server


def deliverer(app: BotApplication) -> Callable[[dict], Awaitable[dict | None]]:
    """Hand one raw update to `app`; once it was handled, the call its answer carries, if any.

    The update's first message, when it is a plain `sendMessage`, goes back in the webhook
    answer instead of as a request of its own (`webhook_answer`).
    """

    async def deliver(raw: dict) -> dict | None:
        update = Update.de_json(raw, app.bot)
        slot = AnswerSlot()
        token = SLOT.set(slot)
        try:
            # Python-telegram-bot's own path for a fetched update (through the update
            # processor, so the person's turn and state apply), awaited instead of queued.
            await app.update_processor.process_update(update, app.process_update(update))
        finally:
            SLOT.reset(token)
        return slot.body()

    return deliver


def health_of(app: BotApplication) -> Callable[[], Awaitable[dict]]:
    """The /health answer of the process, from the default bot's services."""

    async def health() -> dict:
        return await asyncio.to_thread(health_report, app)

    return health


MAX_DEPTH = 32  # Telegram's updates nest a dozen levels (a reply to a message in a chat ...)


def shallow(value: object, limit: int = MAX_DEPTH) -> bool:
    """False when a JSON value nests deeper than `limit` (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


def webhook_runner(server: web.Application, timeout: float = CLIENT_TIMEOUT) -> web.AppRunner:
    """The runner for the webhook server: a connection idle or slow for `timeout` is closed.

    aiohttp's keep-alive timer (an hour by default) runs from the moment a connection opens
    until a request's headers are complete, so it is also the limit for slow headers. No
    lingering: after a 408 the rest of a stalled body is not waited for (10 s by default).
    """
    return web.AppRunner(server, access_log=None, keepalive_timeout=timeout, lingering_time=0)


def make_webhook_server(deliver: Callable[[dict], Awaitable[dict | None]] | None, secret: str,
                        health: Callable[[], Awaitable[dict]],
                        timeout: float = CLIENT_TIMEOUT) -> web.Application:
    """POST /telegram for updates (secret checked first), GET /health for monitoring.

    `deliver=None`: no /telegram route yet (the fleet adds one per bot with add_receiver).
    """
    server = web.Application(client_max_size=2 * 1024 * 1024)
    if deliver is not None:
        add_receiver(server, PATH, deliver, secret, timeout)

    async def report(request: web.Request) -> web.Response:
        result = await health()
        return web.json_response(result, status=200 if result.get("status") != "error" else 503)

    server.router.add_get("/health", report)
    return server


def add_receiver(server: web.Application, path: str,
                 deliver: Callable[[dict], Awaitable[dict | None]],
                 secret: str, timeout: float = CLIENT_TIMEOUT) -> None:
    """POST `path`: one bot's updates, refused with 403 without that bot's secret."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook request with a wrong secret token from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            async with asyncio.timeout(timeout):
                body = await request.read()
        except TimeoutError:
            log.warning("webhook client too slow sending its update; closed")
            slow = web.Response(status=408, text="too slow")
            slow.force_close()  # the rest of the body is not waited for
            return slow
        try:
            raw = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
            return web.Response(status=400, text="bad update")
        if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int) \
                or not shallow(raw):
            return web.Response(status=400, text="bad update")
        try:
            answer = await deliver(storable_json(raw) if may_need_cleaning(body) else raw)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # not an Update
            log.warning("webhook update %s is not a Telegram update (%s)", raw["update_id"],
                        type(exc).__name__)
            return web.Response(status=400, text="bad update")
        return web.json_response(answer) if answer else web.Response(text="ok")

    server.router.add_post(path, receive)


def health_report(app: BotApplication) -> dict:
    """Is the database reachable, and how much is waiting to be sent?"""
    services = app.bot_data.get("services")
    if services is None:
        return {"status": "starting"}
    report = database_report(services.db)
    if report["database"] == "ok":
        report["nlu"] = services.nlu.backend
    return report


def database_report(db: Database) -> dict:
    """"ok" with the queue lengths, or "error" in one word.

    /health answers anyone who can reach the port, so the driver's error (host, port,
    database name, user) goes to the log, never into the answer. The outbox and delivery
    tables are read, not just `SELECT 1`: a dropped or emptied database fails the check.
    """
    from sqlalchemy import func, select

    from bot.core.storage.models import Delivery, OutboxMessage

    try:
        with db.session() as session:
            outbox = session.scalar(select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == "pending"))
            deliveries = session.scalar(select(func.count(Delivery.id)).where(
                Delivery.status == "pending"))
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        log.warning("health check: the database is unreachable (%s)", type(exc).__name__)
        return {"status": "error", "database": "unreachable"}
    return {"status": "ok", "database": "ok", "outbox_pending": outbox,
            "deliveries_pending": deliveries}


async def serve_webhook(fleet: Fleet, url: str, secret: str, listen: str, port: int) -> None:
    """Run until SIGTERM/SIGINT; in-flight updates finish before the process exits.

    Each bot registers its own URL (`WEBHOOK_URL`, plus `/<key>` for a regional bot) and
    its own secret token.
    """
    from bot.faces.telegram.fleet import start_fleet, stop_fleet, until_signalled

    runner = webhook_runner(make_fleet_webhook_app(fleet, secret))
    await start_fleet(fleet)
    try:
        for key, app in fleet.apps.items():
            await app.bot.set_webhook(webhook_url_for(url, key),
                                      secret_token=webhook_secret_for(secret, key),
                                      allowed_updates=Update.ALL_TYPES,
                                      max_connections=MAX_CONNECTIONS)
        await runner.setup()
        await web.TCPSite(runner, listen, port).start()
        log.info("webhook listening on %s:%s for %d bot(s)", listen, port, len(fleet.apps))
        await until_signalled()
        await runner.cleanup()  # no new updates
    finally:
        await stop_fleet(fleet)  # lets the updates being processed finish


def webhook_url_for(url: str, key: str) -> str:
    """WEBHOOK_URL for the default bot, WEBHOOK_URL/<key> for a regional one."""
    return url if key == DEFAULT_KEY else f"{url.rstrip('/')}/{key}"
