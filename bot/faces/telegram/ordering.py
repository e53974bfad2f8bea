"""Concurrent updates that keep each person's own order, and one person cannot crowd out others.

Different villagers are served at the same time, but one villager's updates are handled one
after another, so a conversation never sees two of its updates at once and answers arrive in
the order the questions were asked.

Two rules keep a flood from one account (issue 13, item 1) from freezing everyone else:

- An update waits for its person's turn *before* it takes one of the concurrency slots.
  python-telegram-bot's own semaphore is taken before `do_process_update` runs, so with the
  person's lock inside it, a flooder's 1,000 queued updates held all 64 slots while waiting
  for each other, and another villager waited minutes. Here PTB's semaphore is left wide open
  and the slots are our own, taken after the person's lock.
- A person gets `FloodGate`'s rate (a burst, then one update a second); what comes faster is
  not handled, and they are told once, politely, to slow down (`on_flood`).

Inside the person's turn their conversation state is loaded and saved
(`bot.faces.telegram.person_state`); with several processes the turn is also a Redis lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.faces.telegram.person_state import PersonState
from bot.faces.telegram.ratelimit import Bucket

log = logging.getLogger(__name__)
UNBOUNDED = 1_000_000  # PTB's semaphore: never the limit (see the module docstring)
BURST = 20  # updates a person may send at once (forwarded offers, quick button presses)
PER_SECOND = 1.0  # then one a second: Telegram lets a bot answer a private chat about as fast
QUIET_FOR_NEW_NOTICE = 60.0  # seconds without a dropped update before a new flood is told again

Key = int | None
FloodNotice = Callable[[Update], Awaitable[None]]


class FloodGate:
    """Per-person token buckets: who is sending faster than a person can, right now."""

    def __init__(self, burst: float = BURST, per_second: float = PER_SECOND,
                 clock: Callable[[], float] = time.monotonic, keep: int = 100_000) -> None:
        self._burst = burst
        self._rate = per_second
        self._clock = clock
        self._keep = keep
        self._buckets: dict[Key, Bucket] = {}
        self._last_drop: dict[Key, float] = {}
        self.dropped = 0

    def admit(self, key: Key) -> tuple[bool, bool]:
        """(handle it?, tell them to slow down now?) for one update of `key`."""
        if key is None:  # no person (a channel post, a poll's new totals): not limited
            return True, False
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._keep:
                self._forget_full(now)
            bucket = self._buckets[key] = Bucket(self._burst, self._rate)
        if bucket.wait_time(now) == 0:
            bucket.take(now)
            return True, False
        self.dropped += 1
        last = self._last_drop.get(key)
        self._last_drop[key] = now
        return False, last is None or now - last > QUIET_FOR_NEW_NOTICE

    def _forget_full(self, now: float) -> None:
        """Forget people whose bucket has refilled: they are not flooding (memory stays flat)."""
        full = [k for k, b in self._buckets.items() if b.wait_time(now) == 0
                and b._refill(now) >= self._burst]
        for key in full:
            self._buckets.pop(key, None)
            self._last_drop.pop(key, None)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` updates at once, one at a time per person, rate-limited."""

    def __init__(self, max_concurrent_updates: int = 64, gate: FloodGate | None = None,
                 on_flood: FloodNotice | None = None) -> None:
        super().__init__(UNBOUNDED)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self.gate = gate or FloodGate()
        self.on_flood = on_flood
        self.state: PersonState | None = None  # set by the app once it has its database
        self._locks: dict[Key, asyncio.Lock] = {}
        self._waiting: dict[Key, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Admit, wait for the person's previous update, then take a slot and run."""
        key = person_key(update)
        handle, tell = self.gate.admit(key)
        if not handle:
            coroutine.close()  # type: ignore[attr-defined]  # never started: nothing to undo
            if tell and self.on_flood is not None and isinstance(update, Update):
                log.info("an account is sending too fast; its extra updates are skipped")
                await self.on_flood(update)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._person_state(update), self._slots:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle keys so memory stays flat
                del self._waiting[key]
                self._locks.pop(key, None)

    def _person_state(self, update: object) -> contextlib.AbstractAsyncContextManager[None]:
        if self.state is None:
            return contextlib.nullcontext()
        return self.state.around(update)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def person_key(update: object) -> Key:
    """Whose update this is: the person (their conversation state is theirs), else the chat."""
    if not isinstance(update, Update):
        return None
    user = update.effective_user
    if user is not None:
        return user.id
    chat = update.effective_chat
    return chat.id if chat is not None else None
