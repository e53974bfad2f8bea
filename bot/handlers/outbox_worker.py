"""Sends the persistent outbox: retries with backoff, honours 429, records 403 blocks."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.domain import outbox
from bot.services import Services

log = logging.getLogger(__name__)
IDLE_POLL = 1.0  # seconds between looks at the table when nobody wakes the worker


class OutboxWorker:
    """One background task per process that drains the outbox table."""

    def __init__(self, bot: Bot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start draining (called from post_init)."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        """Stop after the message being sent, if any."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        wakeup = self.services.outbox_wakeup
        while True:
            wakeup.clear()
            batch = await asyncio.to_thread(outbox.due, self.services.db)
            for message in batch:
                await self.send(message)
            if not batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), IDLE_POLL)

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

    async def _deliver(self, message: outbox.Outgoing) -> None:
        payload = message.payload
        markup = _markup(payload.get("buttons") or [])
        if message.kind == "photo":
            await self.bot.send_photo(message.chat_id, payload["file_id"],
                                      caption=payload["text"][:1024], reply_markup=markup)
        elif message.kind == "document":
            await self.bot.send_document(message.chat_id, payload["file_id"],
                                         caption=payload["text"][:1024], reply_markup=markup)
        else:
            await self.bot.send_message(message.chat_id, payload["text"], reply_markup=markup)


def _markup(rows: list) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in rows])
