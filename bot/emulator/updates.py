"""The update queue: long polling with offsets, or webhook delivery with the secret token.

Like Telegram, an update stays queued until the bot confirms it by asking for a higher
offset (polling) or by answering the webhook with a 2xx; so a bot killed after fetching but
before confirming gets the update again, which the restart tests depend on.

Webhook delivery keeps Telegram's promises (Bot API `setWebhook`, and grammY's notes on
scaling): up to `max_connections` (1-100, default 40) requests at once, one chat's updates in
sequence (the next only after the previous got a 2xx), a failed delivery retried with a
growing pause before that chat's later updates, other chats unaffected. A 2xx answer may
carry one Bot API method (JSON with `method` and its parameters, "Making requests when
getting updates"): it is carried out like a request, and its result goes to nobody.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
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


def queue_key(update: dict[str, Any]) -> object:
    """Telegram's delivery queue of an update: its chat, else its person, else its own."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post",
                 "my_chat_member", "chat_member", "chat_join_request", "message_reaction"):
        chat = (update.get(kind) or {}).get("chat")
        if chat:
            return ("chat", chat["id"])
    query = update.get("callback_query") or {}
    if (query.get("message") or {}).get("chat"):
        return ("chat", query["message"]["chat"]["id"])
    for kind in ("callback_query", "inline_query", "poll_answer"):
        person = (update.get(kind) or {}).get("from") or (update.get(kind) or {}).get("user")
        if person:
            return ("chat", person["id"])  # a person's private chat has their id
    return ("update", update["update_id"])


class UpdateQueue:
    """Pending updates for the one bot this emulator serves."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._cond = asyncio.Condition()
        self.confirmed_up_to = 0
        self.history: list[dict[str, Any]] = []  # every update ever queued
        self._newest_id = 0  # the highest update_id ever queued (history's, kept at hand)
        self.delivered_count = 0
        self.webhook: Webhook | None = None
        self._webhook_task: asyncio.Task | None = None
        # Carries out a Bot API call that came back in a webhook answer (set by the Emulator).
        self.on_answer: Callable[[dict[str, Any]], Awaitable[None]] | None = None

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
        self._newest_id = max(self._newest_id, update_id)
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
        """Switch between polling (None) and webhook delivery.

        Setting the same webhook again (as each of several bot processes does at start-up)
        changes nothing, as with Telegram.
        """
        if drop_pending:
            self._pending.clear()
        if hook is not None and hook == self.webhook:
            return
        self.webhook = hook
        if self._webhook_task:
            self._webhook_task.cancel()
            self._webhook_task = None
        if hook:
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver(hook))

    async def _deliver(self, hook: Webhook) -> None:
        """Post updates like Telegram: one chat at a time, up to `max_connections` chats at once.

        A chat's next update leaves only after its previous one was answered with a 2xx; a
        failed one is retried, with a growing pause, before that chat's later updates, while
        other chats carry on.
        """
        secret = hook.secret_token
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        connections = asyncio.Semaphore(max(1, min(hook.max_connections, 100)))
        in_flight: set[object] = set()
        backoff: dict[object, float] = {}
        posts: set[asyncio.Task] = set()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            try:
                while self.webhook is hook:
                    await connections.acquire()
                    async with self._cond:
                        await self._cond.wait_for(lambda: self._next_for(in_flight) is not None)
                        update = self._next_for(in_flight)
                        assert update is not None
                        in_flight.add(queue_key(update))
                    post = asyncio.get_running_loop().create_task(self._post(
                        http, hook, headers, update, in_flight, backoff, connections))
                    posts.add(post)
                    post.add_done_callback(posts.discard)
            finally:
                for post in list(posts):
                    post.cancel()

    def _next_for(self, in_flight: set[object]) -> dict[str, Any] | None:
        """The oldest pending update whose chat has nothing in flight."""
        for update in self._pending:
            if queue_key(update) not in in_flight:
                return update
        return None

    async def _post(self, http: aiohttp.ClientSession, hook: Webhook, headers: dict[str, str],
                    update: dict[str, Any], in_flight: set[object],
                    backoff: dict[object, float], connections: asyncio.Semaphore) -> None:
        key = queue_key(update)
        body = {k: v for k, v in update.items() if k != "_redelivered"}
        answer = None
        try:
            async with http.post(hook.url, json=body, headers=headers) as resp:
                ok = 200 <= resp.status < 300
                if ok and resp.content_type == "application/json":
                    answer = await resp.json()
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.info("webhook delivery failed: %s", exc)
            ok = False
        if ok and isinstance(answer, dict) and self.on_answer is not None:
            await self.on_answer(answer)  # before the chat's next update, as Telegram does
        try:
            if ok:
                backoff.pop(key, None)
                async with self._cond:
                    self._pending = [u for u in self._pending if u is not update]
                    self._update_confirmed()
                    self.delivered_count += 1
            else:
                pause = backoff.get(key, 0.05)
                backoff[key] = min(pause * 2, 2.0)
                await asyncio.sleep(pause)  # Telegram retries with a growing pause too
        finally:
            connections.release()
            async with self._cond:
                in_flight.discard(key)
                self._cond.notify_all()

    def _update_confirmed(self) -> None:
        """Everything below the oldest unanswered update counts as confirmed."""
        waiting = [u["update_id"] for u in self._pending if not u.get("_redelivered")]
        self.confirmed_up_to = max(self.confirmed_up_to,
                                   (min(waiting) - 1) if waiting else self._newest_id)

    async def close(self) -> None:
        """Stop webhook delivery."""
        if self._webhook_task:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
