"""One error handler for everything: log the traceback, apologise politely in Indonesian."""

from __future__ import annotations

import difflib
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

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


def known_commands(app: Application) -> list[str]:
    """The commands the bot's handlers answer (read from them: one list, never stale)."""
    return sorted({command for handler in app.handlers.get(0, ())
                   if isinstance(handler, CommandHandler) for command in handler.commands})


async def on_unknown_command(update: Update, context: BotContext) -> None:
    """A command no handler answers, in a private chat: say so and point to /bantuan.

    "/kuis_jadwal" or "/daftar" got no reply at all: the villager could not tell a typo from
    a bot that was down. Groups stay quiet (commands there are often for other bots).
    """
    text = update.effective_message.text or ""
    typed, _at, addressee = text.split()[0][1:].lower().partition("@")
    if addressee and addressee != (context.bot.username or "").lower():
        return  # "/start@other_bot": meant for another bot
    close = difflib.get_close_matches(typed, known_commands(context.application), n=1,
                                      cutoff=0.6)
    reply = _("I do not know the command /{command}.").format(command=typed[:40])
    if close:
        reply += " " + _("Did you mean /{suggestion}?").format(suggestion=close[0])
    reply += " " + _("Type /bantuan for the list of commands, or simply write your question.")
    await update.effective_message.reply_text(reply)


def register(app: Application) -> None:
    """Add the error handler and the catch-alls for buttons and commands."""
    app.add_error_handler(on_error)
    app.add_handler(CallbackQueryHandler(on_unknown_button))  # last in group 0: a fallback
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE &
                                   filters.COMMAND, on_unknown_command))  # also last
