"""Keeps one process's claimed deliveries its own while they wait for the sending budget.

Why renewal exists: a process claims a batch ahead of sending it, and when several processes
share the token's 30 messages a second (and villagers are chatting) its share can be a few a
second, so the last of a batch waits longer than the lease (DELIVERY_LEASE_SECONDS). Without
renewal another process's recovery gave those claims back to pending, every process then
spent its budget on claims no longer its own, and the broadcast crawled or stopped (commit
82dbf37). So a live process renews its claims, and its sends still awaiting an answer, every
third of the lease; adopts the batch claimed ahead as soon as it is in, so that batch is
renewed too; and sends only what is still its own.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable
from datetime import timedelta

from bot.core.storage.session import Database
from bot.domain.programme import broadcasts
from bot.domain.programme.broadcasts import Job
from bot.faces.telegram.senders.delivery_writes import shared_writes

log = logging.getLogger(__name__)


class ClaimsKeeper:
    """The claims of one delivery worker: adopted, renewed, marked sending, given back."""

    def __init__(self, db: Database, ahead: Callable[[], asyncio.Task | None]) -> None:
        """`ahead`: the worker's batch claimed ahead, as it is when a renewal runs."""
        self.db = db
        self._ahead = ahead
        self.claimed: dict[int, Job] = {}  # claimed, not yet marked sending
        self.in_flight: set[int] = set()  # marked sending, answer not yet recorded
        self._renewed = time.monotonic()
        self._adopted: weakref.WeakSet[asyncio.Task] = weakref.WeakSet()
        # Held while claims change hands in the database (marked sending, renewed): a renewal
        # between reading a claim and marking it would make the mark miss and the send vanish.
        self._ownership = asyncio.Lock()

    def adopt(self, task: asyncio.Task | None) -> None:
        """A finished claim's jobs become this process's claims (sent, renewed, given back).

        Once per claim: the batch claimed ahead is adopted as soon as it is in, so that it is
        renewed while the batch before it is still being sent.
        """
        if task is None or not task.done() or task in self._adopted:
            return
        self._adopted.add(task)
        if not task.cancelled() and task.exception() is None:
            self.claimed.update((job.id, job) for job in task.result())

    def renewal_due(self, lease: timedelta) -> bool:
        """True once every third of the lease (then the caller runs `renew` as a chore)."""
        if time.monotonic() - self._renewed < lease.total_seconds() / 3:
            return False
        self._renewed = time.monotonic()
        return True

    async def renew(self) -> None:
        """Renew every claim and send awaiting an answer; drop the claims lost meanwhile."""
        async with self._ownership:
            self.adopt(self._ahead())
            claimed = list(self.claimed.values())
            renewed = await asyncio.to_thread(broadcasts.renew, self.db, claimed,
                                              list(self.in_flight))
            kept = {job.id: job for job in renewed}
            for job in claimed:
                if self.claimed.pop(job.id, None) is not None and job.id in kept:
                    self.claimed[job.id] = kept[job.id]
        if len(kept) < len(claimed):
            log.warning("deliveries: %d claim(s) had been given back (their lease ran out); "
                        "another process sends them", len(claimed) - len(kept))

    async def start_sending(self, wave: list[Job]) -> list[Job]:
        """Mark the wave's claims (as they are now, renewed or not) sending; those still ours."""
        async with self._ownership:
            current = [self.claimed.pop(job.id) for job in wave if job.id in self.claimed]
            # With the other senders of this process, in one write (delivery_writes).
            ours = await shared_writes(self.db).start_sending(current)
            self.in_flight.update(job.id for job in ours)
        return ours

    async def release(self) -> None:
        """Give back what was claimed but not sent: pending at once, not after the lease."""
        if self.claimed:
            await asyncio.to_thread(broadcasts.release, self.db, list(self.claimed))
            self.claimed.clear()
