"""The update queue: long polling with offsets, or webhook delivery with the secret token.

Like Telegram, an update stays queued until the bot confirms it by asking for a higher
offset (polling) or by answering the webhook with a 2xx; so a bot killed after fetching but
before confirming gets the update again, which the restart tests depend on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp

log = logging.getLogger(__name__)


@dataclass
class Webhook:
    """The webhook the bot registered with setWebhook."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40


class UpdateQueue:
    """Pending updates for the one bot this emulator serves."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._cond = asyncio.Condition()
        self.confirmed_up_to = 0
        self.history: list[dict[str, Any]] = []  # every update ever queued
        self.delivered_count = 0
        self.webhook: Webhook | None = None
        self._webhook_task: asyncio.Task | None = None

    async def put(self, update: dict[str, Any], update_id: int | None = None) -> int:
        """Queue an update and return its update_id.

        Passing an old `update_id` redelivers an update, as Telegram does when a bot died
        before confirming it.
        """
        if update_id is None:
            update_id = self._next_id
            self._next_id += 1
        redelivered = update_id <= self.confirmed_up_to
        update = {"update_id": update_id, **update}
        self.history.append(update)
        if redelivered:
            update = {**update, "_redelivered": True}
        async with self._cond:
            self._pending.append(update)
            self._cond.notify_all()
        return update["update_id"]

    async def get(self, offset: int | None, limit: int, timeout: float,
                  allowed: list[str] | None = None) -> list[dict[str, Any]]:
        """Confirm updates below `offset`, then wait up to `timeout` s for pending ones."""
        async with self._cond:
            if offset:
                self._confirm(offset)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._cond.wait_for(lambda: bool(self._visible(allowed))), timeout=timeout
                )
            batch = self._visible(allowed)[: max(1, min(limit, 100))]
            self._pending = [u for u in self._pending if not (u.get("_redelivered")
                                                             and u in batch)]
        self.delivered_count += len(batch)
        return [{k: v for k, v in u.items() if k != "_redelivered"} for u in batch]

    def _visible(self, allowed: list[str] | None) -> list[dict[str, Any]]:
        if not allowed:
            return self._pending
        return [u for u in self._pending if any(k in u for k in allowed)]

    def _confirm(self, offset: int) -> None:
        self._pending = [u for u in self._pending if u["update_id"] >= offset
                         or u.get("_redelivered")]
        self.confirmed_up_to = max(self.confirmed_up_to, offset - 1)

    @property
    def pending(self) -> int:
        """How many updates the bot has not confirmed yet."""
        return len(self._pending)

    async def wait_confirmed(self, update_id: int, timeout: float = 10) -> None:
        """Wait until the bot confirmed `update_id` (it fetched it and asked for the next)."""
        async with self._cond:
            await asyncio.wait_for(
                self._cond.wait_for(lambda: self.confirmed_up_to >= update_id), timeout
            )

    # -- webhook ----------------------------------------------------------------------
    def set_webhook(self, hook: Webhook | None, drop_pending: bool = False) -> None:
        """Switch between polling (None) and webhook delivery."""
        if drop_pending:
            self._pending.clear()
        self.webhook = hook
        if self._webhook_task:
            self._webhook_task.cancel()
            self._webhook_task = None
        if hook:
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver(hook))

    async def _deliver(self, hook: Webhook) -> None:
        secret = hook.secret_token
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        backoff = 0.05
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            while self.webhook is hook:
                async with self._cond:
                    await self._cond.wait_for(lambda: bool(self._pending))
                    update = self._pending[0]
                try:
                    async with http.post(hook.url, json=update, headers=headers) as resp:
                        ok = 200 <= resp.status < 300
                except (aiohttp.ClientError, TimeoutError) as exc:
                    log.info("webhook delivery failed: %s", exc)
                    ok = False
                if ok:
                    async with self._cond:
                        self._confirm(update["update_id"] + 1)
                        self.delivered_count += 1
                        self._cond.notify_all()
                    backoff = 0.05
                else:
                    await asyncio.sleep(backoff)  # the real Telegram retries with a backoff too
                    backoff = min(backoff * 2, 2.0)

    async def close(self) -> None:
        """Stop webhook delivery."""
        if self._webhook_task:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
