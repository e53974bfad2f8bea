"""Which of the token's sends the emulator answered with 429: broadcast, reply, or carried reply.

The emulator's flood limits know a chat, not why the bot wrote to it. A fix for a burst of
broadcast messages is not a fix for replies that go out unasked, and a reply carried in a
webhook answer that meets a 429 is lost without the bot ever knowing (Telegram gives its
result to nobody). So the benchmark wraps the limits' check and the webhook-answer path and
counts, per kind, the messages admitted and refused, and when each 429 came. Counts and
times only: no message text, no person.
"""

from __future__ import annotations

import collections
import contextvars
import time
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from bot.emulator import Emulator

_CARRIED: contextvars.ContextVar[bool] = contextvars.ContextVar("carried", default=False)


class HitLog:
    """Counts of the emulator's admissions and 429s by kind; install with `watch`."""

    def __init__(self, recipients: Collection[int]) -> None:
        self.recipients = recipients
        self.sent: collections.Counter[str] = collections.Counter()
        self.refused: collections.Counter[str] = collections.Counter()
        self.hit_times: list[float] = []  # time.monotonic() of every 429
        self.hit_kinds: list[str] = []

    def kind(self, chat_id: int) -> str:
        """"broadcast" (a recipient), "carried" (a webhook answer's reply) or "reply"."""
        if chat_id in self.recipients:
            return "broadcast"
        return "carried" if _CARRIED.get() else "reply"

    def watch(self, emu: Emulator) -> None:
        """Wrap `emu`'s flood check and its webhook-answer path (for this run only)."""
        check = emu.limits.check

        def check_and_note(chat_id: int, *a: Any, **kw: Any) -> int | None:
            retry = check(chat_id, *a, **kw)
            kind = self.kind(chat_id)
            if retry is None:
                self.sent[kind] += 1
            else:
                self.refused[kind] += 1
                self.hit_times.append(time.monotonic())
                self.hit_kinds.append(kind)
            return retry

        emu.limits.check = check_and_note  # type: ignore[method-assign]
        on_answer: Callable[[dict[str, Any]], Awaitable[None]] | None = emu.queue.on_answer

        async def carried(body: dict[str, Any]) -> None:
            _CARRIED.set(True)  # this task's context only: the request handlers keep False
            assert on_answer is not None
            await on_answer(body)

        emu.queue.on_answer = carried

    def report(self, stalls: list[float], within: float = 0.5) -> dict[str, Any]:
        """429s and admissions by kind, and the 429s of each kind just after a stall."""
        after_stall: collections.Counter[str] = collections.Counter()
        for at, kind in zip(self.hit_times, self.hit_kinds, strict=True):
            if any(s - 0.05 <= at <= s + within for s in stalls):
                after_stall[kind] += 1
        return {"refused": dict(self.refused), "admitted": dict(self.sent),
                "refused_just_after_stall": dict(after_stall)}
