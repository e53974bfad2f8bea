"""With a webhook, an update's first message rides on the webhook's answer (one request less);
the villager sees the same replies, in the same order, and the rest goes the normal way."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Update
from telegram.ext import CommandHandler

from bot.emulator.updates import Webhook
from bot.faces.telegram.webhook import make_webhook_app, webhook_runner
from tests.auxil.harness import Harness

SECRET = "answer-secret"


async def two_messages(update: Update, context: object) -> None:
    """A handler that writes twice (as a confirmation and a follow-up do)."""
    await update.effective_message.reply_text("pesan pertama")
    await update.effective_message.reply_text("pesan kedua")


@pytest.fixture
async def webhook_harness(harness: Harness) -> AsyncIterator[Harness]:
    """The harness's bot taking its updates by webhook instead of polling."""
    await harness.app.updater.stop()
    harness.app.add_handler(CommandHandler("dua", two_messages), group=-10)
    runner = webhook_runner(make_webhook_app(harness.app, SECRET))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    harness.emu.queue.set_webhook(Webhook(f"http://127.0.0.1:{port}/telegram", SECRET))
    yield harness
    harness.emu.queue.set_webhook(None)
    await runner.cleanup()


async def test_a_question_is_answered_in_the_webhook_answer(webhook_harness: Harness) -> None:
    emu = webhook_harness.emu
    siti = webhook_harness.villager("Siti")
    reply = await siti.ask("gimana cara bikin paspor?")
    assert "paspor" in reply.text.lower()
    assert emu.stats["webhook_answers"] == 1  # no sendMessage request of its own


async def test_two_messages_of_one_update_arrive_in_order(webhook_harness: Harness) -> None:
    emu = webhook_harness.emu
    budi = webhook_harness.villager("Budi")
    await budi.say("/dua")
    assert (await budi.reply()).text == "pesan pertama"
    assert (await budi.reply()).text == "pesan kedua"
    assert emu.stats["webhook_answers"] == 0  # the first went as a request, before the second
