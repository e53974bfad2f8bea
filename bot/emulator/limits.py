"""Telegram's flood limits, enforced the way Telegram does: a 429 with `retry_after`.

Telegram documents about 30 messages a second overall, 20 a minute in one group and about
one a second in one private chat (short bursts pass). A message sent with
`allow_paid_broadcast` may go past the 30 a second, up to 1,000, and only such a message (one
beyond the free 30) is billed: 0.1 Star, withdrawn from the bot's balance (README). The bot's
delivery engine must stay under these, so the emulator enforces them with token buckets on an
injectable clock, which lets the emulator's own tests check the limits without sleeping.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]
Pay = Callable[[], bool]  # withdraw one paid message's Stars; False: the balance is short


class BalanceTooLow(Exception):
    """A paid message beyond the free limit, and the bot's Stars balance cannot pay for it."""


@dataclass
class Bucket:
    """`capacity` tokens, refilled at `rate` a second (the emulator's own: it needs no bot code)."""

    capacity: float
    rate: float
    tokens: float = -1.0  # below zero: full at the first use
    updated: float = 0.0

    def wait_time(self, now: float) -> float:
        """Seconds until one token is there (0: one is there now)."""
        if self.tokens < 0:
            self.tokens, self.updated = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Spend the token `wait_time` found."""
        self.tokens -= 1


@dataclass
class FloodLimits:
    """Limits per bot, per group and per private chat; `enabled=False` turns them off."""

    overall_per_second: float = 30.0
    paid_per_second: float = 1000.0  # allow_paid_broadcast: Telegram's paid limit
    group_per_minute: float = 20.0
    private_per_second: float = 1.0
    private_burst: float = 5.0
    enabled: bool = True
    clock: Clock = time.monotonic
    _overall: Bucket | None = None
    _paid: Bucket | None = None
    _meter: Bucket | None = None  # the free 30 a second, every message: what is billed
    _chats: dict[int, Bucket] = field(default_factory=dict)
    hits: int = 0
    # Which limit answered each 429 ("overall", "paid", "group", "private"): the fix for one
    # (a burst of the whole token) is not the fix for another (two replies to one chat).
    hits_by: Counter = field(default_factory=Counter)

    def check(self, chat_id: int, is_group: bool, paid: bool = False,
              pay: Pay | None = None) -> int | None:
        """Admit one message to `chat_id`, or return the `retry_after` seconds for a 429.

        `paid` (allow_paid_broadcast): admitted by the paid limit of 1,000 a second instead of
        the 30; billed (`pay()`) when the bot's messages of every kind are past the free 30 a
        second (the meter); when `pay()` says the balance is short, BalanceTooLow is raised
        and nothing is taken. Flagged messages do not use up the 30 that admit unflagged ones
        (README: the emulator's choice). The per-chat limits hold either way.
        """
        if not self.enabled:
            return None
        now = self.clock()
        if self._overall is None:
            rate = self.overall_per_second
            self._overall = Bucket(capacity=rate, rate=rate)
            self._meter = Bucket(capacity=rate, rate=rate)
            self._paid = Bucket(capacity=self.paid_per_second, rate=self.paid_per_second)
        assert self._paid is not None and self._meter is not None
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._new_chat_bucket(is_group)
            self._chats[chat_id] = chat
        overall = self._paid if paid else self._overall
        overall_wait, chat_wait = overall.wait_time(now), chat.wait_time(now)
        wait = max(overall_wait, chat_wait)
        if wait > 0:
            self.hits += 1
            if overall_wait > 0:
                self.hits_by["paid" if paid else "overall"] += 1
            else:
                self.hits_by["group" if is_group else "private"] += 1
            return max(1, math.ceil(wait))
        within_free = self._meter.wait_time(now) == 0
        if paid and not within_free and pay is not None and not pay():
            raise BalanceTooLow
        overall.take(now)
        chat.take(now)
        if within_free:
            self._meter.take(now)
        return None

    def _new_chat_bucket(self, is_group: bool) -> Bucket:
        if is_group:
            return Bucket(capacity=self.group_per_minute, rate=self.group_per_minute / 60)
        return Bucket(capacity=self.private_burst, rate=self.private_per_second)
