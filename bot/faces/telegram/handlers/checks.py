"""The offer checker and the agency check in the chat: thin adapters over the domain."""

from __future__ import annotations

import asyncio
from datetime import date

from telegram import Message, Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, filters

from bot.domain.agencies.answers import agency_reply
from bot.domain.agencies.register import lookup
from bot.domain.answers.conversation import Understood, answer_reply
from bot.domain.campaigns.checks import checked_reply
from bot.domain.offers.assessment import assess
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers.detours import nothing_to_stop_text, waiting_detour
from bot.faces.telegram.handlers.pending import AWAITING
from bot.faces.telegram.handlers.render import send_kwargs

OFFER_MIN_CHARS = 60  # shorter "offer_check" messages ask for the offer instead


async def check_offer(message: Message, context: BotContext, text: str) -> None:
    """Assess an offer and answer with the risk, reasons and next steps."""
    services = context.services

    def licensed(name: str) -> bool | None:
        found = lookup(services.db, name, date.today())
        return None if found.verdict in {"no_register", "unknown"} and not found.name else \
            found.verdict == "licensed"

    assessment = await asyncio.to_thread(assess, text, is_licensed=licensed)
    context.user_data["last_offer"] = text[:4000]
    reply = await asyncio.to_thread(checked_reply, services.db, services.settings, text,
                                    assessment, message.chat_id)
    services.wake_outbox()  # a campaign alert may have been queued
    await message.reply_text(**send_kwargs(reply))


async def check_agency(message: Message, context: BotContext, name: str) -> None:
    """Look a company up in the register and answer with how to verify officially."""
    services = context.services
    found = await asyncio.to_thread(lookup, services.db, name, date.today())
    await message.reply_text(**send_kwargs(agency_reply(found, name, services.answers)))


async def start_offer_check(message: Message, context: BotContext, text: str,
                            understood: Understood) -> None:
    """offer_check: assess right away when the message holds an offer, else ask for it."""
    if len(text) >= OFFER_MIN_CHARS or understood.country:
        await check_offer(message, context, text)
        return
    context.user_data[AWAITING] = "offer"
    await message.reply_text(**send_kwargs(answer_reply(context.services.answers,
                                                        "offer_check")))


async def start_agency_check(message: Message, context: BotContext, text: str,
                             understood: Understood) -> None:
    """agency_check: look the named company up, or ask for its name."""
    if understood.organization:
        await check_agency(message, context, understood.organization)
        return
    context.user_data[AWAITING] = "agency"
    await message.reply_text(**send_kwargs(answer_reply(context.services.answers,
                                                        "agency_check")))


async def continue_awaited(message: Message, context: BotContext, text: str) -> bool:
    """If the bot asked for an offer or a company name, this message is it."""
    awaiting = context.user_data.pop(AWAITING, None)
    expects = "story" if awaiting == "offer" else "name"
    if awaiting is not None and await waiting_detour(message, context, text, expects, AWAITING):
        return True  # "gak jadi", "menu", a new question: no longer waiting for it
    if awaiting in {"village", "village_retry"}:
        from bot.faces.telegram.handlers.villages import ask_village

        return await ask_village(message, context, text, retry=awaiting == "village_retry")
    elif awaiting == "offer":
        await check_offer(message, context, text)
    elif awaiting == "agency":
        await check_agency(message, context, text)
    return awaiting is not None


async def on_forwarded(update: Update, context: BotContext) -> None:
    """A forwarded message or a photo with a caption is treated as an offer to check."""
    message = update.effective_message
    text = (message.text or message.caption or "").strip()
    if text:
        context.user_data.pop(AWAITING, None)
        await check_offer(message, context, text)
    raise ApplicationHandlerStop


def register(app: Application) -> None:
    """Forwarded texts and captioned photos go to the offer checker before the chat handler."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private & filters.FORWARDED & (filters.TEXT | filters.CAPTION),
                                   on_forwarded), group=4)
    app.add_handler(MessageHandler(private & filters.PHOTO & filters.CAPTION & ~filters.FORWARDED,
                                   on_forwarded), group=4)


async def start_tip(message: Message, context: BotContext, text: str,
                    understood: Understood) -> None:
    """report_tip: start the guided report."""
    from bot.faces.telegram.handlers.reporting import start_report

    await start_report(message, message.from_user, context)


async def start_quiz(message: Message, context: BotContext, text: str,
                     understood: Understood) -> None:
    """quiz_start: a question right away."""
    from bot.faces.telegram.handlers.programme import send_quiz

    await send_quiz(message, context)


async def start_subscribe(message: Message, context: BotContext, text: str,
                          understood: Understood) -> None:
    """subscribe: explain, then ask for the village."""
    from bot.faces.telegram.handlers.villages import ask_village

    await message.reply_text(**send_kwargs(answer_reply(context.services.answers, "subscribe")))
    await ask_village(message, context, None)


async def start_unsubscribe(message: Message, context: BotContext, text: str,
                            understood: Understood) -> None:
    """unsubscribe: stop broadcasts to this chat (and say so kindly when there are none)."""
    from bot.domain.programme.membership import unsubscribe

    if not await asyncio.to_thread(unsubscribe, context.services.db, message.chat_id):
        await message.reply_text(nothing_to_stop_text())
        return
    await message.reply_text(**send_kwargs(answer_reply(context.services.answers,
                                                        "unsubscribe")))


ACTIONS = {"offer_check": start_offer_check, "agency_check": start_agency_check,
           "report_tip": start_tip, "quiz_start": start_quiz, "subscribe": start_subscribe,
           "unsubscribe": start_unsubscribe}
