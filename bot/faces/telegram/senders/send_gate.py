"""Spaces the moments broadcast messages actually leave, after the budget let them go.

The sending budget (`bot.faces.telegram.send_budget`) decides when a group of messages may go;
the delivery worker then marks them `sending` in the database and only then posts them. When
that write is held up (SQLite's single writer, a busy machine), the groups the budget let go
meanwhile all finish their writes at once and would reach Telegram as one burst, which its
limit of 30 in a second answers with 429s (each pausing the whole broadcast for a second).
This gate lets a group leave at once while the sends keep to the budget's rate with a small
burst, and otherwise holds it back just long enough: it counts nothing against the budget.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.faces.telegram.pacer import OVERALL_PER_SECOND

# A group leaves at once while the schedule is at most this many messages ahead: so at most
# 15 leave together (with a group of 5), half of the 30 Telegram lets through at once.
BURST = 10.0


class SendGate:
    """A GCRA-style schedule of leaving times for one process's broadcast messages."""

    def __init__(self, rate: float = OVERALL_PER_SECOND, burst: float = BURST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._burst = burst
        self._clock = clock
        self._due = 0.0  # when the schedule is free again (the theoretical arrival time)

    def try_pass(self, count: int) -> float:
        """Let `count` messages leave now (0.0, their place is booked), or the seconds to wait.

        Asked again after the wait, not booked ahead: when this process itself was stalled
        (a busy machine), the groups that all wake at once are spaced out all the same.
        """
        now = self._clock()
        due = max(self._due, now)
        leave = due - self._burst / self._rate
        if leave > now:
            return leave - now
        self._due = due + count / self._rate
        return 0.0

    async def wait(self, count: int) -> None:
        """Wait until `count` messages may leave (mostly no wait at all)."""
        while (delay := self.try_pass(count)) > 0:
            await asyncio.sleep(delay)  # real time against Telegram's limits
