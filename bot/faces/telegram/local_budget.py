"""The sending budget of one process alone (no Redis): the in-process `Pacer`.

The SQLite default and a newcomer's single process pace with it; the rules are the module
docstring's of `send_budget.py`.
"""

from __future__ import annotations

from typing import Literal

from bot.faces.telegram.pacer import Pacer

Kind = Literal["reply", "broadcast"]


class LocalBudget:
    """One process alone (no Redis): the in-process `Pacer`, as before."""

    shared = False

    def __init__(self, pacer: Pacer | None = None) -> None:
        self.pacer = pacer or Pacer()

    @property
    def others(self) -> int:
        """Replies charged so far."""
        return self.pacer.others

    async def acquire(self, kind: Kind, chat_id: int, is_group: bool = False) -> None:
        """Charge a reply, or wait for a broadcast message's turn."""
        if kind == "reply":
            self.pacer.note_send()
        else:
            await self.pacer.acquire(chat_id, is_group)

    async def acquire_many(self, chats: list[tuple[int, bool]]) -> int:
        """Wait for a group of broadcast messages' turn."""
        return await self.pacer.acquire_many(chats)

    async def try_many(self, chats: list[tuple[int, bool]]) -> int:
        """Take a group's free turn if it is there now."""
        return self.pacer.grant(chats)[0]

    async def acquire_paid(self, chats: list[tuple[int, bool]]) -> int:
        """Wait for a group's turn on the paid lane."""
        return await self.pacer.acquire_paid(chats)

    async def landed(self, chats: list[tuple[int, bool]], paid: bool = False) -> None:
        """Nothing to do: alone, the delivery worker's own bound on sends in flight holds."""

    async def reply_turn(self) -> str | None:
        """Alone, a reply never waits: it is charged to the pacer (its debt slows broadcasts).

        One process has no stall of another's to add up with, and its delivery worker's
        `SendGate` spaces what a stall held up.
        """
        self.pacer.note_send()
        return None

    def replied(self, ticket: str | None) -> None:
        """Nothing to do: alone, replies are not counted in flight."""

    def note_reply(self) -> None:
        """A reply left (synchronous form of `acquire("reply", ...)`)."""
        self.pacer.note_send()

    async def pause(self, seconds: float) -> None:
        """Hold back broadcasts after a 429."""
        self.pacer.pause(seconds)

    async def close(self) -> None:
        """Nothing to close."""
