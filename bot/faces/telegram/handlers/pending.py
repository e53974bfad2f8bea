"""Typed input the bot asked for ("type the date", "type your note"): one dispatcher.

python-telegram-bot runs only the first matching handler of a group, so the features that
wait for a typed message register a function here instead of a handler of their own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, filters

AWAITING = "awaiting"  # an offer, a company name or a village name (handled by the chat)
SCHEDULING = "scheduling_lesson"
COMPOSING = "composing_message"
TYPED = "triage_typed"  # an officer's note or question, a reporter's answer
RELAY = "relay_offer"  # a typed text the bot offered to pass on as the answer to an officer
HELD = "held_text"  # a question typed into the report, which it may still be part of
ALL = (AWAITING, SCHEDULING, COMPOSING, TYPED, RELAY, HELD)

Handler = Callable[[Update, object], Awaitable[None]]
_handlers: dict[str, Handler] = {}


def expect(key: str, handler: Handler) -> None:
    """Let `handler` receive the next text of anyone whose user_data holds `key`."""
    _handlers[key] = handler


async def dispatch(update: Update, context: object) -> None:
    """Give the text to the feature that asked for it, and stop there."""
    data = getattr(context, "user_data", None) or {}
    for key, handler in _handlers.items():
        if key in data:
            await handler(update, context)
            raise ApplicationHandlerStop


def register(app: Application) -> None:
    """One handler, early (group 1), for every feature's typed input."""
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE &
                                   filters.TEXT & ~filters.COMMAND, dispatch), group=1)
