"""How many bot processes share this bot's token right now, so each takes its share of 30/s.

Each process refreshes a key of its own in Redis every few seconds (`desabot:<bot>:proc:<id>`,
expiring after `TTL`) and counts the others' keys. The broadcast pacer of each process then
paces at 29/s divided by that count (`Pacer.set_share`), so N processes sending one broadcast
together stay near Telegram's limit instead of N x 29/s. This splits the budget evenly; it is
not yet one shared token bucket (a process's replies still only slow its own broadcasts).
"""

from __future__ import annotations

import logging
import uuid

log = logging.getLogger(__name__)
TTL = 15  # seconds a process counts after its last heartbeat
EVERY = 5.0  # seconds between heartbeats


class Peers:
    """This process's heartbeat and the count of live processes of the same bot."""

    def __init__(self, url: str, bot_id: str) -> None:
        from redis.asyncio import Redis  # only with REDIS_URL

        self._redis = Redis.from_url(url)
        self._prefix = f"desabot:{bot_id}:proc:"
        self._me = self._prefix + uuid.uuid4().hex

    async def beat(self) -> int:
        """Refresh our key; returns how many processes are alive (at least 1: this one)."""
        from redis.exceptions import RedisError

        try:
            await self._redis.set(self._me, "1", ex=TTL)
            count = 0
            async for _key in self._redis.scan_iter(match=self._prefix + "*", count=100):
                count += 1
        except RedisError as exc:
            log.warning("Redis unreachable for the process count (%s)", exc.__class__.__name__)
            return 1
        return max(1, count)

    async def leave(self) -> None:
        """Stop counting this process (clean shutdown)."""
        from redis.exceptions import RedisError

        try:
            await self._redis.delete(self._me)
            await self._redis.aclose()
        except RedisError:
            log.debug("Redis unreachable at shutdown")
