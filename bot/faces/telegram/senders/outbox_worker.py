"""Sends the persistent outbox: retries with backoff, honours 429, records 403 blocks."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.domain.messaging import outbox
from bot.domain.messaging.bots import chat_bot_key
from bot.domain.services import Services
from bot.faces.telegram.files import owner_of, sendable
from bot.faces.telegram.senders.table_worker import TableWorker

if TYPE_CHECKING:
    from bot.faces.telegram.fleet import Fleet

log = logging.getLogger(__name__)


class OutboxWorker(TableWorker):
    """One background task per process that drains the outbox table."""

    name = "outbox"

    def __init__(self, bot: Bot, services: Services, fleet: Fleet | None = None) -> None:
        super().__init__(services.outbox_wakeup)
        self.bot = bot
        self.services = services
        self.fleet = fleet  # with regional bots: each message goes through its chat's bot

    async def drain_once(self) -> int:
        """Send the due outbox messages."""
        batch = await asyncio.to_thread(outbox.due, self.services.db)
        for message in batch:
            await self.send(message)
        return len(batch)

    async def send(self, message: outbox.Outgoing) -> None:
        """Send one message and record the outcome."""
        db = self.services.db
        try:
            await self._deliver(message)
        except RetryAfter as exc:
            delay = exc.retry_after if isinstance(exc.retry_after, int | float) else \
                exc.retry_after.total_seconds()
            await asyncio.to_thread(outbox.mark_retry, db, message.id, str(exc), float(delay))
        except Forbidden as exc:
            log.info("outbox message %s: chat blocked the bot", message.id)
            await asyncio.to_thread(outbox.mark_blocked, db, message.id, str(exc))
        except BadRequest as exc:
            log.warning("outbox message %s refused: %s", message.id, exc)
            await asyncio.to_thread(outbox.mark_blocked, db, message.id, str(exc), "failed")
        except (TimedOut, NetworkError) as exc:
            log.warning("outbox message %s: %r; will retry", message.id, exc)
            await asyncio.to_thread(outbox.mark_retry, db, message.id, str(exc),
                                    outbox.backoff(message.attempts))
        else:
            await asyncio.to_thread(outbox.mark_sent, db, message.id)

    async def _bot_for(self, chat_id: int) -> Bot:
        if self.fleet is None or len(self.fleet.apps) == 1:
            return self.bot
        key = await asyncio.to_thread(chat_bot_key, self.services.db, chat_id)
        return self.fleet.bot(key)

    async def _deliver(self, message: outbox.Outgoing) -> None:
        bot = await self._bot_for(message.chat_id)
        payload = message.payload
        markup = _markup(payload.get("buttons") or [])
        protect = bool(payload.get("protect"))
        if message.kind in {"photo", "document"}:
            # Messages queued before several tokens existed carry no file_bot: no question.
            owner = owner_of(self.fleet, payload["file_bot"]) if "file_bot" in payload else None
            file = await sendable(bot, payload["file_id"], owner, message.kind)
        if message.kind == "photo":
            await bot.send_photo(message.chat_id, file,
                                      caption=payload["text"][:1024], reply_markup=markup,
                                      protect_content=protect)
        elif message.kind == "document":
            await bot.send_document(message.chat_id, file,
                                         caption=payload["text"][:1024], reply_markup=markup,
                                         protect_content=protect)
        else:
            await bot.send_message(message.chat_id, payload["text"], reply_markup=markup,
                                        protect_content=protect)


def _markup(rows: list) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in rows])
