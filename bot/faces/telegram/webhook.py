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
import signal
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import Update

from bot.faces.telegram.context import BotApplication

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/telegram"
MAX_CONNECTIONS = 100  # Telegram's maximum: this many chats' updates in flight at once


def make_webhook_app(app: BotApplication, secret: str) -> web.Application:
    """The HTTP app of a single-process bot: updates go to its own queue."""

    async def deliver(raw: dict) -> None:
        update = Update.de_json(raw, app.bot)
        # Python-telegram-bot's own path for a fetched update (through the update processor,
        # so the person's turn and state apply), awaited here instead of queued.
        await app.update_processor.process_update(update, app.process_update(update))

    async def health() -> dict:
        return await asyncio.to_thread(health_report, app)

    return make_webhook_server(deliver, secret, health)


def make_webhook_server(deliver: Callable[[dict], Awaitable[None]], secret: str,
                        health: Callable[[], Awaitable[dict]]) -> web.Application:
    """POST /telegram for updates (secret checked first), GET /health for monitoring."""
    server = web.Application(client_max_size=2 * 1024 * 1024)

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook request with a wrong secret token from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            raw = await request.json()
            if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
                raise ValueError("not an update")
            await deliver(raw)
        except (json.JSONDecodeError, ValueError, TypeError, KeyError):
            return web.Response(status=400, text="bad update")
        return web.Response(text="ok")

    async def report(request: web.Request) -> web.Response:
        result = await health()
        return web.json_response(result, status=200 if result.get("status") != "error" else 503)

    server.router.add_post(PATH, receive)
    server.router.add_get("/health", report)
    return server


def health_report(app: BotApplication) -> dict:
    """Is the database reachable, and how much is waiting to be sent?"""
    from sqlalchemy import func, select, text

    from bot.core.storage.models import Delivery, OutboxMessage

    services = app.bot_data.get("services")
    if services is None:
        return {"status": "starting"}
    try:
        with services.db.session() as session:
            session.execute(text("SELECT 1"))
            outbox = session.scalar(select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status == "pending"))
            deliveries = session.scalar(select(func.count(Delivery.id)).where(
                Delivery.status == "pending"))
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        return {"status": "error", "database": str(exc).splitlines()[0]}
    return {"status": "ok", "database": "ok", "outbox_pending": outbox,
            "deliveries_pending": deliveries, "nlu": services.nlu.backend}


async def serve_webhook(app: BotApplication, url: str, secret: str, listen: str,
                        port: int) -> None:
    """Run until SIGTERM/SIGINT; in-flight updates finish before the process exits."""
    from bot.faces.telegram.app import start_app, stop_app

    runner = web.AppRunner(make_webhook_app(app, secret), access_log=None)
    await start_app(app)
    try:
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES,
                                  max_connections=MAX_CONNECTIONS)
        await runner.setup()
        await web.TCPSite(runner, listen, port).start()
        log.info("webhook listening on %s:%s%s", listen, port, PATH)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await runner.cleanup()  # no new updates
    finally:
        await stop_app(app)  # lets the updates being processed finish
