"""The emulator as one object: start it, act as users through it, read its transcript."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.emulator.faults import FaultPlan
from bot.emulator.limits import FloodLimits
from bot.emulator.methods import BotApi
from bot.emulator.people import People
from bot.emulator.server import make_app
from bot.emulator.spec import load_spec
from bot.emulator.updates import UpdateQueue
from bot.emulator.world import Event, World


class Emulator(People):
    """A local Telegram Bot API server for tests, the console and load benchmarks.

    Args:
        token: the only token accepted (None accepts any well-formed token).
        limits: flood limits to enforce (Telegram's by default).
    """

    def __init__(self, token: str | None = None, limits: FloodLimits | None = None,
                 bot_username: str = "desabinaan_bot") -> None:
        self.token = token
        self.spec = load_spec()
        self.world = World(bot_username)
        self.queue = UpdateQueue()
        self.limits = limits or FloodLimits()
        self.faults = FaultPlan()
        self.api = BotApi(self.world, self.queue, self.limits)
        self.stats: Counter[str] = Counter()
        self.rejected: list[tuple[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.host = "127.0.0.1"

    @property
    def base_url(self) -> str:
        """The server root, e.g. http://127.0.0.1:8081 (the bot appends /bot<token>)."""
        return f"http://{self.host}:{self.port}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on `host:port` (port 0 picks a free one) and return the base URL."""
        self._runner = web.AppRunner(make_app(self), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.host = host
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.base_url

    async def stop(self) -> None:
        """Stop webhook delivery and the HTTP server."""
        await self.queue.close()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    # -- waiting on the transcript -----------------------------------------------------
    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `predicate()` returns something truthy, woken by every change."""
        deadline = time.monotonic() + timeout
        async with self.world.changed:
            while not (result := predicate()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"waited {timeout}s for the emulator: {predicate}")
                try:
                    await asyncio.wait_for(self.world.changed.wait(), remaining)
                except TimeoutError:
                    continue
            return result

    async def next_from_bot(self, chat_id: int, after: int = 0, timeout: float = 10.0,
                            directions: tuple[str, ...] = ("out",)) -> Event:
        """The first bot message (or edit) in a chat with a sequence number above `after`."""

        def found() -> Event | None:
            for event in self.world.by_chat[chat_id]:
                if event.seq > after and event.direction in directions:
                    return event
            return None

        return await self.wait_for(found, timeout)

    def last_seq(self) -> int:
        """The sequence number of the newest transcript event (0 when empty)."""
        return self.world.transcript[-1].seq if self.world.transcript else 0

    def requests_to(self, chat_id: int) -> list[Event]:
        """Every request the bot made towards one chat (messages and edits)."""
        return [e for e in self.world.by_chat[chat_id] if e.direction in {"out", "edit"}]
