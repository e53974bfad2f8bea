"""The services every face uses (database, content, NLU), created once at start-up.

The Telegram face reaches them through its typed context; the command line and the web face
build them the same way, so every face calls the same domain with the same objects.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.config import Settings
from bot.core.storage.session import Database

if TYPE_CHECKING:
    from bot.domain.answers.book import AnswerBook
    from bot.domain.answers.retrieval import QuestionIndex
    from bot.domain.programme.library import Library
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
