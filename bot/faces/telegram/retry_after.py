"""Waiting out Telegram's 429 for the one chat it was about, not for every chat.

python-telegram-bot's `AIORateLimiter` answers any `RetryAfter` by holding back every request
of the bot until it has passed. Telegram's per-chat limit (about one message a second to a
private chat) is the 429 a busy bot meets most, typically while answering a flooding account:
with the stock limiter that pause froze everyone's replies (issue 13, item 1). Here only the
chat the 429 was for waits; the overall budget is the pacer's (`bot.faces.telegram.pacer`) and,
when set, `TELEGRAM_MAX_RATE`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
MARGIN = 0.1  # seconds added to Telegram's retry_after, as python-telegram-bot does
KEEP = 10_000  # paused chats remembered at most (past pauses are forgotten first)

Request = Callable[..., Coroutine[Any, Any, Any]]


class PerChatRetryLimiter(BaseRateLimiter[int]):
    """Retries a request after a 429 up to `max_retries` times, pausing only its chat."""

    def __init__(self, max_retries: int = 5, overall_max_rate: float = 0.0) -> None:
        self._max_retries = max_retries
        self._overall = AsyncLimiter(overall_max_rate, 1) if overall_max_rate > 0 else None
        self._paused: dict[str, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(self, callback: Request, args: Any, kwargs: dict[str, Any],
                              endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Any:
        """Run the request once its chat is not paused; after a 429, pause that chat."""
        chat = str(data.get("chat_id"))  # "123" and 123 are the same chat
        retries = rate_limit_args or self._max_retries
        for attempt in range(retries + 1):
            await self._wait_for(chat)
            try:
                if self._overall is None:
                    return await callback(*args, **kwargs)
                async with self._overall:
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                self._pause(chat, _seconds(exc.retry_after) + MARGIN)
                log.info("429 for one chat (%s); that chat waits", endpoint)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _wait_for(self, chat: str) -> None:
        while (wait := self._paused.get(chat, 0.0) - time.monotonic()) > 0:
            await asyncio.sleep(wait)  # Telegram's retry_after is real time

    def _pause(self, chat: str, seconds: float) -> None:
        now = time.monotonic()
        if len(self._paused) >= KEEP:
            self._paused = {k: t for k, t in self._paused.items() if t > now}
        self._paused[chat] = max(self._paused.get(chat, 0.0), now + seconds)


def _seconds(value: object) -> float:
    with contextlib.suppress(AttributeError):
        return float(value.total_seconds())  # type: ignore[attr-defined]
    return float(value)  # type: ignore[arg-type]
