"""Answer buttons: a related topic, "Read more", the menu."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.core.i18n import _
from bot.domain.answers import followup
from bot.domain.answers.conversation import (
    Understood,
    answer_reply,
    entry_reply,
    menu_rows,
    parse_callback,
)
from bot.domain.replies import Reply
from bot.faces.telegram.context import BotContext
from bot.faces.telegram.handlers import detours
from bot.faces.telegram.handlers.checks import ACTIONS
from bot.faces.telegram.handlers.render import send_kwargs
from bot.faces.telegram.handlers.reporting import start_report

log = logging.getLogger(__name__)


async def on_answer_button(update: Update, context: BotContext) -> None:
    """Send the answer a button names; forged or stale data gets a polite refusal."""
    query = update.callback_query
    book = context.services.answers
    parsed = parse_callback(query.data or "", book)
    if parsed is None:
        log.warning("refused callback data %r from user %s", query.data, update.effective_user.id)
        await query.answer(_("This button is no longer valid."), show_alert=False)
        return
    await query.answer()
    kind, intent, country = parsed
    action = book[intent].action if kind == "ans" and intent else None
    if action == "report_tip":  # "Lapor calo / tawaran" starts a report, not a text about it
        await start_report(query.message, update.effective_user, context)
        return
    paused = await detours.pause_for_button(context, update.effective_user.id)
    if action in ACTIONS:  # offer and agency checks, a quiz, joining the village
        await ACTIONS[action](query.message, context, "", Understood(intent, 1.0))
    else:
        await _answer(query.message, context, kind, intent, country)
    if paused:
        await detours.remind_report(query.message)


async def _answer(message: Message, context: BotContext, kind: str, intent: str | None,
                  country: str | None) -> None:
    """The menu, an entry, or an answer (short or full) a button names."""
    book = context.services.answers
    if kind == "menu":
        reply = Reply(_("Choose a topic:"), menu_rows(book))
    elif kind == "entry":  # the third part names the entry
        reply = entry_reply(book, intent, country, full=True)
    else:
        reply = answer_reply(book, intent, country, full=kind == "full")
    await message.reply_text(**send_kwargs(reply))
    if context.user_data is not None:
        followup.remember(context.user_data, reply)


def register(app: Application) -> None:
    """Add this module's handlers."""
    app.add_handler(CallbackQueryHandler(on_answer_button, pattern=r"^(ans|full|entry|menu)(:|$)"))
