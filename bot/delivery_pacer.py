"""Paces broadcast sends under Telegram's limits so that 429s are the exception.

About 30 messages a second overall, 20 a minute per group and one a second per chat; a 429
pauses everything for its `retry_after`, as Telegram asks.
"""

from __future__ import annotations

import asyncio
import time

from bot.ratelimit import Bucket

OVERALL_PER_SECOND = 29.0  # a hair under 30, so clock jitter does not cost a 429
GROUP_PER_MINUTE = 19.0
CHAT_PER_SECOND = 1.0


class Pacer:
    """Waits until a message to a chat may go out."""

    def __init__(self, overall: float = OVERALL_PER_SECOND) -> None:
        self._overall = Bucket(capacity=max(1.0, overall / 10), rate=overall)
        self._chats: dict[int, Bucket] = {}
        self._paused_until = 0.0

    async def acquire(self, chat_id: int, is_group: bool) -> None:
        """Sleep until the overall, group and chat budgets all allow one more message."""
        while True:
            now = time.monotonic()
            chat = self._chats.get(chat_id)
            if chat is None:
                chat = Bucket(1.0, GROUP_PER_MINUTE / 60 if is_group else CHAT_PER_SECOND)
                self._chats[chat_id] = chat
            wait = max(self._paused_until - now, self._overall.wait_time(now),
                       chat.wait_time(now))
            if wait <= 0:
                self._overall.take(now)
                chat.take(now)
                return
            await asyncio.sleep(wait)  # pacing real time against Telegram's real limits

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out for `seconds`."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    def forget_idle(self, keep: int = 50_000) -> None:
        """Drop per-chat buckets when there are very many, so memory stays flat."""
        if len(self._chats) > keep:
            self._chats.clear()
