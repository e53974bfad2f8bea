"""The services a handler may use, created once in `post_init` and reached via the context."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.db.session import Database

if TYPE_CHECKING:
    from bot.domain.answers import AnswerBook
    from bot.domain.library import Library
    from bot.domain.retrieval import QuestionIndex
    from nlu.service import Understanding


@dataclass
class Services:
    """Everything domain code needs; handlers never build these themselves."""

    settings: Settings
    db: Database
    answers: AnswerBook
    nlu: Understanding
    index: QuestionIndex
    library: Library
    outbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    delivery_wakeup: asyncio.Event = field(default_factory=asyncio.Event)

    def wake_outbox(self) -> None:
        """Tell the outbox worker that new messages were committed."""
        self.outbox_wakeup.set()

    def wake_deliveries(self) -> None:
        """Tell the delivery worker that a broadcast was stored."""
        self.delivery_wakeup.set()


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    """A typed context: `context.services` instead of raw `bot_data` keys."""

    @property
    def services(self) -> Services:
        """The services created at start-up."""
        return self.application.bot_data["services"]


BotApplication = Application[ExtBot, BotContext, dict, dict, dict, None]
