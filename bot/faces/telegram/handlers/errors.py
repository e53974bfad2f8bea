"""One error handler for everything: log the traceback, apologise politely in Indonesian."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, CallbackQueryHandler

from bot.core.i18n import _
from bot.faces.telegram.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log first, then tell the user something went wrong (never the traceback)."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(context.error, Forbidden) or not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return
    try:
        await context.bot.send_message(
            chat.id, _("Sorry, something went wrong on our side. Please try again in a moment.")
        )
    except TelegramError:
        log.warning("could not send the apology to chat %s", chat.id)


async def on_unknown_button(update: Update, context: BotContext) -> None:
    """A button nobody handles (old or forged): answer it so the client stops spinning."""
    log.warning("unhandled callback data %r", update.callback_query.data)
    await update.callback_query.answer(_("This button is no longer valid."))


def register(app: Application) -> None:
    """Add the error handler and the catch-all for buttons."""
    app.add_error_handler(on_error)
    app.add_handler(CallbackQueryHandler(on_unknown_button))  # last in group 0: a fallback
