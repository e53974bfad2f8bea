"""Free text in a private chat: understand it and answer from the content."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update, User
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.core.i18n import _
from bot.domain.answers import followup
from bot.domain.answers.conversation import Understood, respond
from bot.domain.answers.unanswered import remember_unanswered
from bot.domain.offers.detect import send_to_checker
from bot.domain.tips import flow as tip_flow
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers import pending
from bot.faces.telegram.handlers.checks import ACTIONS, check_offer, continue_awaited
from bot.faces.telegram.handlers.render import send_kwargs
from bot.faces.telegram.handlers.reporting import start_report
from bot.faces.telegram.handlers.triage import offer_relay

log = logging.getLogger(__name__)
MAX_TEXT = 4096
# Up to this long, "is it a pasted advert?" (a few regular expressions, ~0.1 ms) runs on the
# event loop: the hop to a worker thread cost more than the check (benchmarks/load.py).
INLINE_CHECK_CHARS = 300  # as the NLU (nlu.service.INLINE_MAX_CHARS)


async def on_text(update: Update, context: BotContext) -> None:
    """Answer a villager's question."""
    message = update.effective_message
    text = (message.text or message.caption or "").strip()
    if not text:
        await message.reply_text(_("Please type your question in words."))
        return
    if await continue_awaited(message, context, text):
        return
    if await offer_relay(message, context, text):
        return
    await answer_question(message, context, text, update.effective_user)


async def answer_question(message: Message, context: BotContext, text: str,
                          user: User | None) -> None:
    """Understand the text and answer it from the content (or run the action it asks for).

    `user` is who wrote it: after a button press `message` is the bot's own message.
    """
    services = context.services
    text = text[:MAX_TEXT]
    nlu = services.nlu
    parsed = (nlu.parse(text) if nlu.answers_in_process(text)
              else await asyncio.to_thread(nlu.parse, text))
    understood = Understood.from_parse(parsed)
    to_checker = (send_to_checker(understood.intent, text) if len(text) <= INLINE_CHECK_CHARS
                  else await asyncio.to_thread(send_to_checker, understood.intent, text))
    if to_checker:
        await check_offer(message, context, text)  # a pasted advert, whatever the NLU says
        return
    state = context.user_data if context.user_data is not None else {}
    reply = (followup.continuing(understood, text, services.answers, state.get(followup.LAST))
             or respond(understood, text, services.answers, services.index))
    if reply.action == "report_tip" and user is not None:
        await start_report(message, user, context, story_prefill(text))
        return
    if reply.action in ACTIONS:
        await ACTIONS[reply.action](message, context, text, understood)
        return
    if reply.meta.get("unanswered"):
        await asyncio.to_thread(remember_unanswered, services.db, text, parsed)
    await message.reply_text(**send_kwargs(reply))
    followup.remember(state, reply)  # "terus abis itu?" continues from here


def story_prefill(text: str) -> dict | None:
    """A message that already tells the story starts the report at its second step."""
    return {"story": text[:3000], "step": "offer"} if tip_flow.tells_a_story(text) else None


async def on_not_an_answer(update: Update, context: BotContext) -> None:
    """"No, it is another question": answer the typed text the bot held back."""
    query = update.callback_query
    typed = context.user_data.pop(pending.RELAY, None) if context.user_data is not None else None
    if not isinstance(typed, dict) or not typed.get("text"):
        await query.answer(_("This button is no longer valid."))
        return
    await query.answer()
    await answer_question(query.message, context, str(typed["text"]), update.effective_user)


async def forget_awaited(update: Update, context: BotContext) -> None:
    """A command cancels a pending "send me the offer" question (/batal says it did)."""
    words = (update.effective_message.text or "").split(maxsplit=1)
    command = words[0].split("@")[0].lower() if words else ""
    if context.user_data is not None and command != "/batal":
        for key in pending.ALL:
            context.user_data.pop(key, None)


async def on_other(update: Update, context: BotContext) -> None:
    """Stickers, voice notes, locations...: say politely what the bot can read."""
    await update.effective_message.reply_text(
        _("I can only read text messages. Please type your question, or send the job offer "
          "as text or as a photo with a caption.")
    )


def register(app: Application) -> None:
    """Add this module's handlers (in a late group, after commands and features)."""
    app.add_handler(MessageHandler(filters.COMMAND, forget_awaited), group=-1)
    app.add_handler(CallbackQueryHandler(on_not_an_answer, pattern=r"^tr:n$"))
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text), group=5)
    app.add_handler(
        MessageHandler(private & ~filters.TEXT & ~filters.CAPTION & ~filters.StatusUpdate.ALL,
                       on_other), group=5)
