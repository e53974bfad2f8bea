"""The emulator as one object: start it, act as users through it, read its transcript."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

from aiohttp import web

from bot.emulator.faults import FaultPlan
from bot.emulator.limits import FloodLimits
from bot.emulator.methods import BotApi, TooManyRequests
from bot.emulator.people import People
from bot.emulator.server import make_app
from bot.emulator.spec import BadRequest, load_spec
from bot.emulator.updates import UpdateQueue
from bot.emulator.world import BOT_ID, Event, World


class Emulator(People):
    """A local Telegram Bot API server for tests, the console and load benchmarks.

    Args:
        token: the only token accepted (None accepts any well-formed token), until
            `add_bot` adds more.
        limits: flood limits to enforce (Telegram's by default).
    """

    def __init__(self, token: str | None = None, limits: FloodLimits | None = None,
                 bot_username: str = "desabinaan_bot", bot_id: int = BOT_ID,
                 ids: Iterator[int] | None = None) -> None:
        self.token = token
        self.spec = load_spec()
        self.world = World(bot_username, bot_id, ids if ids is not None else count(100000))
        self.queue = UpdateQueue()
        self.limits = limits or FloodLimits()
        self.faults = FaultPlan()
        self.api = BotApi(self.world, self.queue, self.limits)
        self.stats: Counter[str] = Counter()
        self.rejected: list[tuple[str, str]] = []
        self.queue.on_answer = self._webhook_answer
        # Every bot this server answers for, by token (see add_bot); each has its own
        # world, update queue and flood limits, as each token has on Telegram.
        self.bots: dict[str, Emulator] = {token: self} if token else {}
        self._runner: web.AppRunner | None = None
        self._stalled_until = 0.0  # see `stall`
        self.port = 0
        self.host = "127.0.0.1"

    async def _webhook_answer(self, body: dict[str, Any]) -> None:
        """A method carried in a webhook answer, carried out like a request.

        Its result, or its error, reaches nobody (as with Telegram); `stats` counts it.
        """
        name = str(body.get("method", ""))
        raw = {k: v for k, v in body.items() if k != "method"}
        await self.held()
        try:
            method = self.spec.canonical_method(name)
            await self.api.call(method, self.spec.parse(method, raw, {}), {})
        except TooManyRequests:
            self.stats["429"] += 1
        except BadRequest as exc:
            self.stats[str(exc.code)] += 1
            self.rejected.append((name, exc.description))
        else:
            self.stats["ok"] += 1
            self.stats["webhook_answers"] += 1

    def stall(self, seconds: float) -> None:
        """Telegram's end stops taking requests for `seconds`, then takes all of them at once.

        A moment of congestion on its side (in benchmarks: this process's loop held up by
        the machine): what the bot sent meanwhile reaches the flood limits as one burst.
        """
        self._stalled_until = max(self._stalled_until, time.monotonic() + seconds)

    async def held(self) -> None:
        """Hold a request while Telegram's end is stalled (`stall`), then let it through."""
        while (wait := self._stalled_until - time.monotonic()) > 0:
            await asyncio.sleep(wait)  # the stall's length, not a synchronisation

    @property
    def base_url(self) -> str:
        """The server root, e.g. http://127.0.0.1:8081 (the bot appends /bot<token>)."""
        return f"http://{self.host}:{self.port}"

    def add_bot(self, token: str, bot_username: str,
                limits: FloodLimits | None = None) -> Emulator:
        """Serve one more bot on this server: its own token, chats, updates and limits.

        Its id is the number before the token's colon, as on Telegram; user and group ids
        come from one counter shared by all the bots, so a person is one id everywhere.
        """
        if not self.token:
            raise ValueError("an emulator that accepts any token cannot serve several bots")
        if token in self.bots:
            raise ValueError("that token is served already")
        other = Emulator(token, limits if limits is not None else FloodLimits(
            clock=self.limits.clock), bot_username, int(token.split(":", 1)[0]),
            self.world._ids)
        other.bots = self.bots
        self.bots[token] = other
        return other

    def for_token(self, token: str) -> Emulator | None:
        """The bot a request's token belongs to (None: Telegram's 401)."""
        if not self.token or token == self.token:
            return self
        return self.bots.get(token)

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
        for bot in self.bots.values():
            await bot.queue.close()
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
