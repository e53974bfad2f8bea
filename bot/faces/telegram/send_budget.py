"""One sending budget per bot token, shared by every process that sends with that token.

Telegram allows a bot about 30 messages a second overall, about one a second per private chat
and 20 a minute per group, whichever process sends them. The rules (those of the single-process
`Pacer`, which this module keeps for the SQLite default):

- replies come first (someone is waiting for each) and are charged to the overall budget
  (alone: after they left, down to a second of debt), so a broadcast slows while villagers chat;
- a broadcast message waits until the overall budget and its chat's budget allow it, but the
  broadcasts of the whole deployment get at least `MIN_BROADCAST_PER_SECOND` (never starved);
- a 429 pauses every broadcast of the token for its `retry_after`;
- with Redis, every message of the token, reply or broadcast, all processes together, takes
  its token from the overall bucket *before* it leaves, and counts as in flight until its
  answer; at most `TOKEN_IN_FLIGHT` are. Telegram (and the emulator, a bucket of 30 refilled
  at 30/s) take a burst of 30 and then 30 a second. However the messages are held up on the
  way (a stall of Telegram's end, of a process, of the network), those reaching Telegram in
  any stretch of time were either in flight at its start or granted during it: at most
  `TOKEN_IN_FLIGHT` + `BURST` (29) at once, then 29.5 a second, never more than it takes.
  A reply waits for its turn only when the bucket is empty or every place is in flight
  (milliseconds, or the length of a stall at Telegram's end); broadcasts yield to it.

Without Redis the budget is `LocalBudget` (this process's `Pacer`); with `REDIS_URL` it is
`RedisBudget`: the buckets live in Redis and one Lua script checks and takes them atomically,
on Redis's clock, so processes on several hosts share one budget exactly. The keys carry a hash
of the token, never the token. Why a script and not `limits` or `pyrate-limiter`: neither can
guarantee broadcasts a floor, and both stalled for seconds under contention when measured
(benchmarks/README.md, "Shared sending budget").
"""

from __future__ import annotations

from typing import Protocol

from bot.faces.telegram.local_budget import Kind, LocalBudget
from bot.faces.telegram.redis_budget import (
    IN_FLIGHT_TTL,
    TOKEN_IN_FLIGHT,
    RedisBudget,
    token_key,
)

__all__ = ["IN_FLIGHT_TTL", "TOKEN_IN_FLIGHT", "Kind", "LocalBudget", "RedisBudget",
           "SendBudget", "for_token", "token_key"]


class SendBudget(Protocol):
    """What a sender asks before a message leaves."""

    others: int  # replies charged so far in this process (for the logs and the tests)
    shared: bool  # several processes share it: a reply cannot ride on a webhook answer

    async def acquire(self, kind: Kind, chat_id: int, is_group: bool = False) -> None:
        """A reply: charge it and return at once. A broadcast: wait until it may go."""

    async def acquire_many(self, chats: list[tuple[int, bool]]) -> int:
        """Wait until the first of `chats` (chat id, is a group) may go; returns how many may.

        A group of a few at once (up to `WAVE`): one budget call and one database write for
        the group instead of one each.
        """

    async def try_many(self, chats: list[tuple[int, bool]]) -> int:
        """How many of `chats` may go now within the free budget (taken); 0: none, no wait.

        The delivery worker asks this first when paid broadcasts are on: what fits in the
        free 30 a second goes free, only the rest takes the paid lane.
        """

    async def acquire_paid(self, chats: list[tuple[int, bool]]) -> int:
        """Wait until the first of `chats` may go on the paid lane (up to 900 a second)."""

    async def landed(self, chats: list[tuple[int, bool]], paid: bool = False) -> None:
        """The answers to a group `acquire_many` let go have come: no longer in flight."""

    async def reply_turn(self) -> str | None:
        """Wait for a reply's turn (milliseconds) and take it; a ticket for `replied`."""

    def replied(self, ticket: str | None) -> None:
        """The reply's answer came (or its request failed): no longer in flight."""

    def note_reply(self) -> None:
        """A reply left unasked (charged to the overall budget afterwards); never waits."""

    async def pause(self, seconds: float) -> None:
        """Telegram answered 429: no broadcast message of this token goes for `seconds`."""

    async def close(self) -> None:
        """Let go of connections (shutdown)."""


def for_token(token: str, redis_url: str | None) -> SendBudget:
    """The budget of one bot token: shared through Redis when there is one, else local."""
    return RedisBudget(redis_url, token) if redis_url else LocalBudget()
