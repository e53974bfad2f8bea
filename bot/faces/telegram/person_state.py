"""A person's `context.user_data`, loaded from the database for each of their updates.

Handlers keep using `context.user_data` as a dict (they store only JSON-able values). Around
each update of a person, inside their turn (`bot.faces.telegram.ordering`), this module loads
the stored state into python-telegram-bot's dict, lets the handlers run, saves the dict if it
changed and drops it from memory (`bot.domain.messaging.conversation_state`). With several
bot processes (`REDIS_URL` set) the person's turn is also a lock in Redis, so two processes
never run the same person's updates at once: Telegram keeps one chat's updates in order, but a
person writes in a private chat and in a group, and their state is one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.core.storage.session import Database
from bot.domain.messaging import conversation_state
from bot.domain.messaging.group_commit import GroupCommit
from bot.domain.messaging.update_claims import UpdateClaims

log = logging.getLogger(__name__)
LOCK_SECONDS = 60  # a person's lock expires by itself if its process dies holding it
LOCK_POLL = 0.005  # seconds between tries for a lock another process holds


class SharedLocks:
    """Per-person locks in Redis (redis-py's `Lock`: SET NX PX, released by a Lua script)."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis  # imported only when several processes share Redis

        self._redis = Redis.from_url(url)
        self._down_logged = False

    @contextlib.asynccontextmanager
    async def hold(self, key: int) -> AsyncIterator[None]:
        """The person's lock across processes; without Redis, carry on (logged once)."""
        from redis.exceptions import LockError, RedisError

        lock = self._redis.lock(f"desabot:person:{key}", timeout=LOCK_SECONDS,
                                sleep=LOCK_POLL, blocking_timeout=LOCK_SECONDS)
        try:
            acquired = await lock.acquire()
        except RedisError as exc:
            if not self._down_logged:
                log.error("Redis is unreachable (%s); a person's updates are ordered only "
                          "within this process", exc.__class__.__name__)
                self._down_logged = True
            acquired = False
        else:
            self._down_logged = False
        try:
            yield
        finally:
            if acquired:
                with contextlib.suppress(LockError, RedisError):
                    await lock.release()

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


class PersonState:
    """Loads and saves `user_data` around each update of a person.

    The load shares the update's claim transaction (`UpdateClaims.open`), and the save shares
    the transaction that marks the update answered (`UpdateClaims.close`), batched with the
    updates that end together: under a campaign's load an update costs the database two
    shares of batched transactions (it was three). The person's lock is released only once
    their state is committed, so their next update, in any process, reads what this one left.
    """

    def __init__(self, app: Application, db: Database, ttl: timedelta,
                 locks: SharedLocks | None = None, claims: UpdateClaims | None = None) -> None:
        self.app = app
        self.db = db
        self.ttl = ttl
        self.locks = locks
        self.claims = claims
        if claims is not None:
            claims.ttl = ttl
        self._saves: GroupCommit[tuple[int, str], None] = GroupCommit(
            lambda states: conversation_state.save_many(db, states, ttl))

    @contextlib.asynccontextmanager
    async def around(self, update: object) -> AsyncIterator[None]:
        """Inside: the person's stored state is in `context.user_data`; saved when it ends."""
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            yield
            return
        held = self.locks.hold(user.id) if self.locks else contextlib.nullcontext()
        async with held:
            loaded = await self._load(update, user.id)
            before = conversation_state.encode(loaded)
            data: dict[str, Any] = self.app.user_data[user.id]  # PTB creates the dict
            data.clear()
            data.update(loaded)
            try:
                yield
            finally:
                after = conversation_state.encode(dict(data))
                self.app.drop_user_data(user.id)  # memory stays flat; the next load is fresh
                changed = after if after is not None and after != before else None
                if self.claims is not None:  # handled: a redelivery is skipped silently
                    await self.claims.close(update.update_id, user.id, changed)
                elif changed is not None:
                    await self._saves.submit((user.id, changed))

    async def _load(self, update: Update, person_id: int) -> dict:
        if self.claims is not None:
            return await self.claims.open(update.update_id, person_id)
        return await asyncio.to_thread(conversation_state.load, self.db, person_id)
