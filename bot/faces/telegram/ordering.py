"""Concurrent updates that keep each user's own order.

Different villagers are served at the same time, but one villager's messages are handled one
after another, so a conversation never sees two of its updates at once and answers arrive in
the order the questions were asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs up to `max_concurrent_updates` updates at once, serialised per user and chat."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[tuple[int | None, int | None], asyncio.Lock] = {}
        self._waiting: dict[tuple[int | None, int | None], int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the previous update of the same user in the same chat, then run."""
        key = _key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle keys so memory stays flat
                del self._waiting[key]
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _key(update: object) -> tuple[int | None, int | None]:
    if not isinstance(update, Update):
        return (None, None)
    user = update.effective_user
    chat = update.effective_chat
    return (user.id if user else None, chat.id if chat else None)
