"""Paces broadcast sends under Telegram's limits so that 429s are the exception.

About 30 messages a second overall, 20 a minute per group and one a second per chat; a 429
pauses everything for its `retry_after`, as Telegram asks.

Replies to villagers are not paced (someone is waiting for each), but they count: every message
the bot sends outside a broadcast is charged to the same overall budget (`note_send`, called by
`bot.faces.telegram.ext_bot.DesaBot`), so a broadcast slows down while many villagers are
chatting and the sum stays near Telegram's 30 a second instead of costing 429s. A broadcast
still gets at least `MIN_BROADCAST_PER_SECOND`, so a busy day delays it but never stops it.
This is one process's budget (the single-process default); several processes sharing one
token share one budget in Redis with the same rules (`bot.faces.telegram.send_budget`).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Callable

from bot.faces.telegram.ratelimit import Bucket

# Under Telegram's 30 a second by 1.7 %, so clock jitter does not cost a 429. It was 29.0:
# a margin of 3.3 %, which alone kept a broadcast near 95 % of the limit. Bursts are what cost
# 429s (Telegram lets a full second's worth through at once), and those the budget's small
# burst and the delivery worker's bound on sends in flight keep down, not this margin.
OVERALL_PER_SECOND = 29.5
GROUP_PER_MINUTE = 19.0
CHAT_PER_SECOND = 1.0
MIN_BROADCAST_PER_SECOND = 2.0
# Broadcast messages let go together: a sixth of a second's worth (5 at 29.5/s). The delivery
# worker then marks them and sends them as one group, and a wake-up a little late on a busy
# machine is caught up instead of lost. Telegram and the emulator accept such bursts.
WAVE = 5
# Paid broadcasts (allow_paid_broadcast, PAID_BROADCAST): up to 1,000 a second on Telegram;
# a tenth under it, as the free pace is kept under 30. Only messages past the free budget
# take this lane (bot/faces/telegram/senders/paid_lane.py), so the free 30 are never paid.
PAID_PER_SECOND = 900.0
PAID_BURST = 50.0

# Set by the delivery worker around its own sends: those were paced already, not charged again.
BROADCASTING: contextvars.ContextVar[bool] = contextvars.ContextVar("broadcasting",
                                                                    default=False)


class Pacer:
    """Waits until a message to a chat may go out."""

    def __init__(self, overall: float = OVERALL_PER_SECOND,
                 clock: Callable[[], float] = time.monotonic) -> None:
        # Room for two groups: a wake-up that comes late on a busy machine is made up by the
        # next group instead of lost (with room for one, every late wake-up cost its delay).
        self._overall = Bucket(capacity=min(2.0 * WAVE, max(1.0, overall / 2.9)), rate=overall)
        self._paid = Bucket(capacity=PAID_BURST, rate=PAID_PER_SECOND)
        self._chats: dict[int, Bucket] = {}
        self._paused_until = 0.0
        self._last_broadcast = -1e9
        self._clock = clock
        self.others = 0  # messages charged by note_send, for the logs and the tests

    def note_send(self) -> None:
        """A message left outside the broadcast (a reply): it uses up the overall budget too.

        At most one second of debt, so a burst of replies delays a broadcast for about a second.
        """
        if BROADCASTING.get():
            return
        self.others += 1
        self.charge(1)

    def charge(self, count: int) -> None:
        """Charge `count` messages that already left to the overall budget (debt allowed)."""
        self._overall.charge(self._clock(), floor=-self._overall.rate, count=count)

    def wait_time(self, chat_id: int, is_group: bool) -> float:
        """Seconds until a broadcast message to `chat_id` may go (0: now)."""
        now = self._clock()
        overall = min(self._overall.wait_time(now),
                      self._last_broadcast + 1 / MIN_BROADCAST_PER_SECOND - now)
        return max(self._paused_until - now, overall, self._chat(chat_id, is_group).wait_time(now))

    def take(self, chat_id: int, is_group: bool) -> None:
        """Count a broadcast message that goes now (after `wait_time` said 0)."""
        self.charge(1)
        now = self._clock()
        self._chat(chat_id, is_group).take(now)
        self._last_broadcast = now

    async def acquire(self, chat_id: int, is_group: bool) -> None:
        """Sleep until the overall, group and chat budgets all allow one more message."""
        while (wait := self.wait_time(chat_id, is_group)) > 0:
            await asyncio.sleep(wait)  # pacing real time against Telegram's real limits
        self.take(chat_id, is_group)

    def grant(self, chats: list[tuple[int, bool]]) -> tuple[int, float]:
        """Let the first few of `chats` go at once: (how many, 0.0) or (0, seconds to wait).

        It waits until the overall budget holds a whole wave (as many as `chats`, up to its
        capacity), so sends leave in groups of a few instead of one every 35 ms; the floor
        for broadcasts lets one go when replies have used up the budget. A chat still within
        its own limit ends the group there (its turn comes in a later one).
        """
        now = self._clock()
        if self._paused_until > now:
            return 0, self._paused_until - now
        first_chat = self._chat(*chats[0]).wait_time(now)
        tokens = self._overall.level(now) + 1e-3  # a float's rounding must not stall it
        want = min(len(chats), WAVE, int(self._overall.capacity))
        starving = self._last_broadcast + 1 / MIN_BROADCAST_PER_SECOND <= now
        if first_chat > 0 or (tokens < want and not starving):
            overall = (want - tokens) / self._overall.rate
            floor = self._last_broadcast + 1 / MIN_BROADCAST_PER_SECOND - now
            return 0, max(first_chat, min(overall, floor), 1e-3)
        count = 0
        for chat_id, is_group in chats[:max(1, min(want, int(tokens)))]:
            chat = self._chat(chat_id, is_group)
            if chat.wait_time(now) > 0:
                break
            chat.take(now)
            count += 1
        self.charge(count)
        self._last_broadcast = now
        return count, 0.0

    def grant_paid(self, chats: list[tuple[int, bool]]) -> tuple[int, float]:
        """Like `grant`, on the paid lane: the overall budget is the paid one, not the free.

        The pause after a 429 and each chat's own limit hold as on the free lane.
        """
        now = self._clock()
        if self._paused_until > now:
            return 0, self._paused_until - now
        first_chat = self._chat(*chats[0]).wait_time(now)
        tokens = self._paid.level(now)
        if first_chat > 0 or tokens < 1:
            return 0, max(first_chat, (1 - tokens) / self._paid.rate, 1e-3)
        count = 0
        for chat_id, is_group in chats[:int(tokens)]:
            chat = self._chat(chat_id, is_group)
            if chat.wait_time(now) > 0:
                break
            chat.take(now)
            count += 1
        self._paid.charge(now, floor=0.0, count=count)
        return count, 0.0

    async def acquire_paid(self, chats: list[tuple[int, bool]]) -> int:
        """Sleep until a group of `chats` may go on the paid lane; returns how many."""
        return await _granted(self.grant_paid, chats)

    async def acquire_many(self, chats: list[tuple[int, bool]]) -> int:
        """Sleep until a group of `chats` may go; returns how many of the first ones."""
        return await _granted(self.grant, chats)

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out for `seconds`."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def forget_idle(self, keep: int = 50_000) -> None:
        """Drop per-chat buckets when there are very many, so memory stays flat."""
        if len(self._chats) > keep:
            self._chats.clear()

    def _chat(self, chat_id: int, is_group: bool) -> Bucket:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = Bucket(1.0, GROUP_PER_MINUTE / 60 if is_group else CHAT_PER_SECOND)
            self._chats[chat_id] = chat
        return chat


async def _granted(grant: Callable[[list[tuple[int, bool]]], tuple[int, float]],
                   chats: list[tuple[int, bool]]) -> int:
    """Ask `grant` again after the wait it names, until it lets some of `chats` go."""
    while True:
        count, wait = grant(chats)
        if count:
            return count
        await asyncio.sleep(wait)  # pacing real time against Telegram's real limits
