"""Which broadcast messages go paid (allow_paid_broadcast), within the month's cap in Stars.

The delivery worker sends what the free budget allows free, as always; with PAID_BROADCAST
on, a group the free budget cannot take at once goes on the paid lane instead of waiting,
if this lane hands out paid slots for it. Slots are reserved from the bot's monthly counter
in the database a chunk at a time (`star_spend.reserve`: shared by every process, never past
the cap), and a slot whose message Telegram did not bill goes back (`unused`). Once the cap
is reached, or Telegram says the Stars balance is short, the lane closes and the broadcast
goes on at the free pace: the deliveries themselves are untouched, so nothing is lost or sent
twice (a refused paid message is simply pending again).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.storage.models import utcnow
from bot.core.storage.session import Database
from bot.domain.messaging import star_spend
from bot.domain.messaging.paid_broadcast import PaidPolicy, month_of

log = logging.getLogger(__name__)
CHUNK = 100  # paid slots reserved at once: one database write per ~0.1 s at 900 a second
RECHECK = 30.0  # seconds before asking again after the cap was reached (slots come back)
BALANCE_RETRY = 600.0  # seconds before paying again after Telegram said the balance is short


class PaidLane:
    """One bot's paid slots in one process."""

    def __init__(self, db: Database, bot_id: int, policy: PaidPolicy, tz: ZoneInfo,
                 clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.bot_id = bot_id
        self.policy = policy
        self.tz = tz
        self._clock = clock
        self._now = now
        self._allowance = 0  # slots reserved in the database, not handed out yet
        self._month = ""
        self._closed_until = 0.0
        self.closed_by = ""  # "cap" or "balance": why it stopped paying (for the report)
        self.used = 0  # slots handed out and kept (the tests and the benchmark read it)

    @property
    def month(self) -> str:
        """The calendar month the lane counts in now."""
        return month_of(self._now(), self.tz)

    async def take(self, wanted: int) -> tuple[int, str]:
        """Up to `wanted` paid slots now (0: send free), with the month they count in."""
        if self._clock() < self._closed_until:
            return 0, ""
        month = self.month
        if month != self._month:
            await self.release()
            self._month = month
        if self._allowance < wanted:
            self._allowance += await asyncio.to_thread(
                star_spend.reserve, self.db, self.bot_id, month, max(CHUNK, wanted),
                self.policy.cap_messages)
        granted = min(wanted, self._allowance)
        if not granted:
            self._close("cap", RECHECK)
            return 0, ""
        self._allowance -= granted
        self.used += granted
        self.closed_by = ""
        return granted, month

    def unused(self, count: int, month: str) -> None:
        """Slots whose messages Telegram did not bill (not sent, refused): available again."""
        self.used -= count
        if month == self._month:
            self._allowance += count
        else:  # the month turned meanwhile: they were counted in the old one
            asyncio.get_running_loop().create_task(asyncio.to_thread(
                star_spend.give_back, self.db, self.bot_id, month, count))

    def balance_short(self) -> None:
        """Telegram refused a paid message for want of Stars: free pace for a while."""
        if self._clock() >= self._closed_until:
            log.warning("paid broadcasts: the bot's Stars balance is short; sending at the "
                        "free pace, paying again in %d minutes", BALANCE_RETRY // 60)
        self._close("balance", BALANCE_RETRY)

    async def release(self) -> None:
        """Give the slots reserved and not used back to the month's counter."""
        count, self._allowance = self._allowance, 0
        if count and self._month:
            await asyncio.to_thread(star_spend.give_back, self.db, self.bot_id, self._month,
                                    count)

    def spent(self) -> int:
        """Paid messages counted for this bot this month (every process; a database read)."""
        return star_spend.spent(self.db, self.bot_id, self.month) - self._allowance

    def _close(self, reason: str, seconds: float) -> None:
        self.closed_by = reason
        self._closed_until = self._clock() + seconds
