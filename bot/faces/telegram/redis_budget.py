"""The sending budget in Redis, shared by every process of one bot token.

One Lua script (`send_budget.lua`) checks and takes the buckets atomically on Redis's clock;
the rules and why a script rather than a limiter library are in `send_budget.py`'s docstring.
When Redis is unreachable the process paces alone (`LocalBudget`) until it is back.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path

from bot.faces.telegram.local_budget import Kind, LocalBudget
from bot.faces.telegram.pacer import (
    CHAT_PER_SECOND,
    GROUP_PER_MINUTE,
    MIN_BROADCAST_PER_SECOND,
    OVERALL_PER_SECOND,
    PAID_BURST,
    PAID_PER_SECOND,
    WAVE,
    Pacer,
)

log = logging.getLogger(__name__)
SCRIPT = (Path(__file__).with_name("send_budget.lua")).read_text(encoding="utf-8")
# Messages that may go at once after a quiet moment, as the single-process Pacer allows: a
# sender woken late by a busy machine catches up instead of losing its turn, and Telegram
# (and the emulator, bot/emulator/limits.py) accept bursts within a second's worth.
BURST = float(2 * WAVE)  # room for two groups, as in the Pacer
MAX_SLEEP = 1.0  # seconds: look again at least this often (another process may pause us)
# Messages of one token in flight, all processes, replies and broadcasts alike: with `BURST`
# (10) one under Telegram's burst of 30. Only broadcasts were bounded before (24), replies
# charged after they left: 4 processes at load 10 met 117 x 429 (benchmarks/README.md).
TOKEN_IN_FLIGHT = 19
IN_FLIGHT_TTL = 5.0  # seconds a message counts as in flight if its answer never comes (a crash)
# Paid broadcast messages in flight, all processes together: Telegram's paid limit takes a
# second's worth (1,000) at once, so this bounds only what a stall can hold up.
PAID_TOKEN_IN_FLIGHT = 200


def token_key(token: str) -> str:
    """The budget's Redis key prefix: a hash of the token (a token in clear is a secret)."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:16]
    return f"desabot:budget:{digest}"



class RedisBudget:
    """The token's budget in Redis, shared by all its processes (see the module docstring)."""

    shared = True

    def __init__(self, url: str, token: str, overall: float = OVERALL_PER_SECOND,
                 clock: Callable[[], float] | None = None) -> None:
        """`clock` is for tests (a fake one); by default the script uses Redis's own time."""
        from redis.asyncio import Redis  # only with REDIS_URL

        self._redis = Redis.from_url(url)
        self._script = self._redis.register_script(SCRIPT)
        self._prefix = token_key(token)
        self._overall = overall
        # The in-flight bound keeps its share of a second's budget when the rate is raised
        # (an emulator without limits, a token Telegram allows more): 19 at 29.5 a second.
        self._in_flight = max(TOKEN_IN_FLIGHT, round(TOKEN_IN_FLIGHT * overall
                                                      / OVERALL_PER_SECOND))
        self._queue: asyncio.Lock | None = None  # this process's replies waiting for a turn
        self._owed = 0  # replies not yet charged in Redis (they are charged in batches)
        self._flushing: asyncio.Task | None = None
        self._fallback = LocalBudget(Pacer(overall))
        self._redis_down = False
        self._clock = clock
        self._tag = uuid.uuid4().hex[:12] + ":"  # this process's messages in flight
        self._seq = 0  # numbers the members this process puts in flight
        self._members: dict[int, deque[str]] = {}  # chat -> its broadcast messages' members
        self._answered: list[str] = []  # members whose answers came, freed in the next call
        self._landing: asyncio.Task | None = None
        self.others = 0

    async def acquire(self, kind: Kind, chat_id: int, is_group: bool = False) -> None:
        """Charge a reply (batched, never waits), or wait until a broadcast message may go."""
        if kind == "reply":
            self.note_reply()
            return
        while (wait := await self.try_take(chat_id, is_group)) > 0:
            await asyncio.sleep(min(wait, MAX_SLEEP))  # real time against Telegram's limits

    async def acquire_many(self, chats: list[tuple[int, bool]]) -> int:
        """Wait until a group of broadcast messages may go: one script call per group."""
        while (granted := await self.try_grant(chats[:WAVE])) <= 0:
            await asyncio.sleep(min(-granted, MAX_SLEEP))  # real time against Telegram's limits
        return int(granted)

    async def try_many(self, chats: list[tuple[int, bool]]) -> int:
        """Take a group's free turn if it is there now (one script call)."""
        return max(0, int(await self.try_grant(chats[:WAVE])))

    async def acquire_paid(self, chats: list[tuple[int, bool]]) -> int:
        """Wait for a group's turn on the paid lane: its own bucket and in-flight bound."""
        while (granted := await self.try_grant(chats[:WAVE], paid=True)) <= 0:
            await asyncio.sleep(min(-granted, MAX_SLEEP))  # real time against Telegram's limits
        return int(granted)

    async def try_grant(self, chats: list[tuple[int, bool]], paid: bool = False) -> float:
        """How many of `chats` may go now (taken), or minus the seconds to wait.

        `paid`: on the paid lane (its own bucket and in-flight set; the pause and the chats'
        buckets are the same as the free lane's).
        """
        from redis.exceptions import RedisError

        prefix = self._prefix
        rates = [GROUP_PER_MINUTE / 60 if group else CHAT_PER_SECOND for _, group in chats]
        bucket, flight = (":paid", ":paidflight") if paid else (":all", ":flight")
        rate, burst, most = (PAID_PER_SECOND, PAID_BURST, PAID_TOKEN_IN_FLIGHT) if paid \
            else (self._overall, BURST, self._in_flight)
        keys = [prefix + bucket, f"{prefix}:chat:{chats[0][0]}", f"{prefix}:pause",
                prefix + flight, *(f"{prefix}:chat:{chat}" for chat, _ in chats[1:])]
        self._seq += 1
        tag = f"{self._tag}{self._seq}:"  # a chat's two messages in flight: two members
        args = ["grantpaid" if paid else "grant", len(chats), rate, burst, rates[0],
                1 / MIN_BROADCAST_PER_SECOND, self._now(), most, tag, IN_FLIGHT_TTL, *rates[1:]]
        try:
            result = int(await self._script(keys=keys, args=args))
        except RedisError:
            pacer = self._fallback.pacer
            count, wait = pacer.grant_paid(chats) if paid else pacer.grant(chats)
            return count if count else -wait
        if result <= 0:
            return result / 1e6
        for key, (chat, _) in zip(keys[1:2] + keys[4:], chats[:result], strict=False):
            self._members.setdefault(chat, deque()).append(tag + key)
        return result

    async def landed(self, chats: list[tuple[int, bool]], paid: bool = False) -> None:
        """Their answers came: the token has room for as many more in flight."""
        members = [self._members_of(chat) for chat, _ in chats]
        await self._landed([member for member in members if member is not None], paid)

    async def _landed(self, members: list[str], paid: bool = False) -> None:
        from redis.exceptions import RedisError

        if not members:
            return
        try:
            await self._redis.zrem(f"{self._prefix}{':paidflight' if paid else ':flight'}",
                                   *members)
        except RedisError:
            log.debug("Redis unreachable: in-flight marks expire by themselves")

    def _members_of(self, chat: int) -> str | None:
        queue = self._members.get(chat)
        member = queue.popleft() if queue else None
        if queue is not None and not queue:
            del self._members[chat]
        return member

    async def reply_turn(self) -> str | None:
        """Wait for the reply's token and place in flight (milliseconds, unless all are taken).

        Taken from the overall budget before it leaves, so the broadcasts slow down for it.
        A reply that must wait queues behind this process's other waiting replies (first
        come, first served) and only the head of the queue asks Redis again: when villagers
        write faster than the budget, 300 waiting replies each asking every 34 ms cost the
        process 60 ms of CPU per update (benchmarks/echo_floor.py, bot-webhook-redis).
        """
        self.others += 1
        self._seq += 1
        member = f"{self._tag}r{self._seq}"
        queue = self._queue = self._queue or asyncio.Lock()
        wait = 1.0 if queue.locked() else await self.try_reply(member)
        if wait > 0:
            async with queue:
                while (wait := await self.try_reply(member)) > 0:
                    await asyncio.sleep(min(wait, MAX_SLEEP))  # real time, Telegram's limits
        return None if wait < 0 else member

    async def try_reply(self, member: str) -> float:
        """The reply's turn taken (0.0), else seconds to wait; -1.0: no Redis, paced alone."""
        from redis.exceptions import RedisError

        prefix = self._prefix
        keys = [f"{prefix}:all", f"{prefix}:chat:0", f"{prefix}:pause", f"{prefix}:flight"]
        args = ["reply", 1, self._overall, BURST, CHAT_PER_SECOND, 1 / MIN_BROADCAST_PER_SECOND,
                self._now(), self._in_flight, member, IN_FLIGHT_TTL]
        try:
            return int(await self._script(keys=keys, args=args)) / 1e6
        except RedisError:
            self._fallback.pacer.charge(1)  # alone until Redis is back
            return -1.0

    def replied(self, ticket: str | None) -> None:
        """The reply is no longer in flight (batched: one call for several)."""
        if ticket is None:
            return
        self._answered.append(ticket)
        if self._landing is None or self._landing.done():
            self._landing = asyncio.get_running_loop().create_task(self._land())

    async def _land(self) -> None:
        while self._answered:
            members, self._answered = self._answered, []
            await self._landed(members)

    def _now(self) -> str:
        """The script's `now`: "" for Redis's own clock, or the tests' fake one."""
        return "" if self._clock is None else repr(self._clock())

    def note_reply(self) -> None:
        """A reply left: charge it with the next batch (one round trip per batch)."""
        self.others += 1
        self._owed += 1
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.get_running_loop().create_task(self._flush())

    async def flush(self) -> None:
        """Charge the replies noted so far; the answered ones leave the flight (tests; shutdown)."""
        while self._flushing is not None and not self._flushing.done():
            await self._flushing
        if self._owed:
            await self._flush()
        await self._land()

    async def try_take(self, chat_id: int, is_group: bool) -> float:
        """Take one broadcast message's share if it may go now (0.0), else the seconds to wait."""
        chat_rate = GROUP_PER_MINUTE / 60 if is_group else CHAT_PER_SECOND
        result = await self._run("take", 1, chat_id, chat_rate)
        if result is None:
            wait = self._fallback.pacer.wait_time(chat_id, is_group)
            if wait <= 0:
                self._fallback.pacer.take(chat_id, is_group)
            return wait
        return result

    async def pause(self, seconds: float) -> None:
        """Pause the token's broadcasts in every process."""
        self._fallback.pacer.pause(seconds)
        await self._run("pause", seconds, 0, CHAT_PER_SECOND)

    async def close(self) -> None:
        """Charge what is owed and close the connection."""
        from redis.exceptions import RedisError

        try:
            await self.flush()
            await self._redis.aclose()
        except RedisError:
            log.debug("Redis unreachable at shutdown")

    async def _flush(self) -> None:
        while self._owed:
            count, self._owed = self._owed, 0
            if await self._run("charge", count, 0, CHAT_PER_SECOND) is None:
                self._fallback.pacer.charge(count)

    async def _run(self, mode: str, count: float, chat_id: int,
                   chat_rate: float) -> float | None:
        """One atomic call of the script; None when Redis is unreachable (local fallback)."""
        from redis.exceptions import RedisError

        prefix = self._prefix
        keys = [f"{prefix}:all", f"{prefix}:chat:{chat_id}", f"{prefix}:pause"]
        args = [mode, count, self._overall, BURST, chat_rate,
                1 / MIN_BROADCAST_PER_SECOND, self._now()]
        try:
            micros = await self._script(keys=keys, args=args)
        except RedisError as exc:
            if not self._redis_down:
                log.warning("Redis unreachable for the sending budget (%s): this process "
                            "paces on its own until it is back", exc.__class__.__name__)
            self._redis_down = True
            return None
        if self._redis_down:
            log.info("Redis reachable again: the sending budget is shared again")
            self._redis_down = False
        return int(micros) / 1e6
