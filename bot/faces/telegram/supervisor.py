"""Several bot processes for a multi-core server (BOT_WORKERS > 1).

One Python process runs one core at most (the GIL): measured on two cores, a single bot
process saturates near 240 answers a second with its latency climbing long before. With
BOT_WORKERS=N the supervisor (this module) receives the updates (long polling or the webhook)
and hands each one to one of N worker processes (worker.py), always the same worker for
the same person, so a villager's messages are still answered one after another, in order,
and their conversation state (python-telegram-bot's user_data) lives in one process.

Updates travel as JSON lines on the workers' stdin: the supervisor never builds Telegram
objects, so it costs little. If a worker dies, the supervisor stops the others and exits
with an error, and the service manager restarts everything; updates that were not yet
confirmed to Telegram come again, and the processed-updates table skips those already
handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import signal
import sys
import warnings
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter
from telegram.warnings import PTBUserWarning

from bot.core.config import ConfigError, Settings
from bot.core.logs import WORKER_ENV
from bot.faces.telegram.app import make_bot
from bot.faces.telegram.runner import POLL_INTERVAL
from bot.faces.telegram.worker import READY, SENT_PREFIX

log = logging.getLogger(__name__)
# Updates are passed on as JSON, never turned into objects here: the raw call is the point.
warnings.filterwarnings("ignore", message=r".*do_api_request\(\"getUpdates\"",
                        category=PTBUserWarning)
START_TIMEOUT = 180.0  # a worker loads content and the NLU model (seconds on a slow disk)
STOP_TIMEOUT = 30.0
POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates call open
SENDERS = ("message", "edited_message", "channel_post", "edited_channel_post",
           "business_message", "callback_query", "inline_query", "chosen_inline_result",
           "shipping_query", "pre_checkout_query", "my_chat_member", "chat_member",
           "chat_join_request", "message_reaction")


def partition_key(update: Mapping[str, Any]) -> int:
    """The person behind an update (their Telegram id), else its chat, else 0."""
    for kind in SENDERS:
        body = update.get(kind)
        if isinstance(body, dict):
            person = body.get("from") or body.get("user") or {}
            chat = body.get("chat") or (body.get("message") or {}).get("chat") or {}
            return int(person.get("id") or chat.get("id") or 0)
    answer = update.get("poll_answer")
    if isinstance(answer, dict):
        return int((answer.get("user") or answer.get("voter_chat") or {}).get("id") or 0)
    return 0


class WorkerGone(RuntimeError):
    """A worker's stdin closed: it died; the supervisor stops and exits non-zero."""


class WorkerProcess:
    """The supervisor's handle on one worker."""

    def __init__(self, index: int,
                 on_report: Callable[[bytes], Awaitable[None]] | None = None) -> None:
        self.index = index
        self.proc: asyncio.subprocess.Process | None = None
        self._drain: asyncio.Task[None] | None = None
        self._on_report = on_report  # where this worker's `#sent N` lines go (worker 0)

    async def start(self) -> None:
        """Start `desabot worker INDEX` and wait until it can take updates."""
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.main", "worker", str(self.index),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            env={**os.environ, WORKER_ENV: str(self.index)})
        assert self.proc.stdout is not None
        while (line := await asyncio.wait_for(self.proc.stdout.readline(), START_TIMEOUT)) \
                != READY:
            if not line:
                raise RuntimeError(f"bot worker {self.index} exited while starting "
                                   f"(code {await self.proc.wait()})")
            sys.stdout.buffer.write(line)
        self._drain = asyncio.create_task(self._pass_output())

    async def _pass_output(self) -> None:
        assert self.proc and self.proc.stdout
        while line := await self.proc.stdout.readline():
            if line.startswith(SENT_PREFIX) and self._on_report is not None:
                await self._on_report(line)
            else:
                sys.stdout.buffer.write(line)

    async def send(self, line: bytes) -> None:
        """Queue updates (JSON lines); waits when the worker is behind (back-pressure)."""
        assert self.proc and self.proc.stdin
        try:
            self.proc.stdin.write(line)
            await self.proc.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            raise WorkerGone(f"bot worker {self.index} is gone") from None

    async def stop(self) -> int:
        """Close stdin: the worker finishes what it has, then exits."""
        if self.proc is None:
            return 0
        if self.proc.stdin and not self.proc.stdin.is_closing():
            self.proc.stdin.close()
        try:
            code = await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT)
        except TimeoutError:
            log.error("bot worker %s did not stop in %.0f s; killed", self.index, STOP_TIMEOUT)
            self.proc.kill()
            code = await self.proc.wait()
        if self._drain:
            await self._drain
        return code


class Supervisor:
    """Starts the workers, routes updates to them, and stops them."""

    def __init__(self, count: int) -> None:
        self.workers = [WorkerProcess(i, self._to_worker_zero if i else None)
                        for i in range(count)]
        self.failed = asyncio.Event()
        self.stopping = False
        self._watchers: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start every worker (in parallel: each loads the content and the model)."""
        await asyncio.gather(*(w.start() for w in self.workers))
        self._watchers = [asyncio.create_task(self._watch(w)) for w in self.workers]

    async def _watch(self, worker: WorkerProcess) -> None:
        assert worker.proc
        code = await worker.proc.wait()
        if not self.failed.is_set() and not self.stopping:
            log.error("bot worker %s exited with code %s; stopping", worker.index, code)
            self.failed.set()

    async def _to_worker_zero(self, report: bytes) -> None:
        """Another worker's send count, for worker 0's broadcast pacer."""
        with contextlib.suppress(WorkerGone):  # its watcher stops everything
            await self.workers[0].send(report)

    async def route(self, update: Mapping[str, Any]) -> None:
        """Give the update to its person's worker."""
        await self.route_batch([update])

    async def route_batch(self, updates: list[Mapping[str, Any]]) -> None:
        """Route a batch in order: one write per worker, not one per update."""
        lines: dict[int, list[bytes]] = {}
        for update in updates:
            index = partition_key(update) % len(self.workers)
            lines.setdefault(index, []).append(_line(update))
        await asyncio.gather(*(self.workers[i].send(b"".join(chunk))
                               for i, chunk in lines.items()))

    def alive(self) -> int:
        """How many workers are running."""
        return sum(1 for w in self.workers if w.proc and w.proc.returncode is None)

    async def stop(self) -> int:
        """Stop all workers; non-zero when one of them failed."""
        self.stopping = True
        codes = await asyncio.gather(*(w.stop() for w in self.workers))
        return 1 if self.failed.is_set() else max(codes, default=0)


async def poll(bot: Bot, supervisor: Supervisor, stop: asyncio.Event) -> None:
    """Long polling: fetch updates, route them, confirm them with the next call."""
    await bot.delete_webhook()
    offset, backoff = 0, 1.0
    while not stop.is_set():
        try:
            batch = await bot.do_api_request(
                "getUpdates", {"offset": offset, "timeout": POLL_TIMEOUT,
                               "allowed_updates": Update.ALL_TYPES},
                read_timeout=POLL_TIMEOUT + 20)
        except RetryAfter as exc:
            await _pause(stop, exc.retry_after)  # type: ignore[arg-type]
            continue
        except (InvalidToken, Conflict):
            raise
        except NetworkError as exc:
            log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff)
            await _pause(stop, backoff)
            backoff = min(backoff * 2, 30.0)
            continue
        backoff = 1.0
        if batch:
            await supervisor.route_batch(batch)
            offset = max(offset, *(int(u["update_id"]) + 1 for u in batch))
            await asyncio.sleep(POLL_INTERVAL)  # gather the next updates (see runner.py)


def _line(update: Mapping[str, Any]) -> bytes:
    return json.dumps(update, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


async def _pause(stop: asyncio.Event, seconds: float | Any) -> None:
    delay = seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay)


async def serve(settings: Settings, webhook: bool) -> int:
    """Run the supervisor until SIGTERM/SIGINT or a worker's death; returns the exit code."""
    supervisor = Supervisor(settings.workers)
    gc.freeze()  # see faces.telegram.app.post_init: no full collection walks start-up objects
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # before the workers start: a SIGTERM while
        loop.add_signal_handler(sig, stop.set)  # they load still ends in a clean stop
    try:
        await supervisor.start()
        await _receive(settings, webhook, supervisor, stop)
    except InvalidToken:
        raise ConfigError("Telegram refused TELEGRAM_BOT_TOKEN; check it with @BotFather") \
            from None
    finally:
        code = await supervisor.stop()
    return code


async def _receive(settings: Settings, webhook: bool, supervisor: Supervisor,
                   stop: asyncio.Event) -> None:
    """Take updates until asked to stop or a worker fails."""
    if stop.is_set():
        return
    bot = make_bot(settings)  # the same client as the workers; only getUpdates is used raw
    log.info("bot running with %s worker processes", len(supervisor.workers))
    async with bot:
        receiver = asyncio.create_task(
            _webhook(bot, supervisor, settings, stop) if webhook else poll(bot, supervisor, stop))
        waits = {asyncio.create_task(supervisor.failed.wait()), asyncio.create_task(stop.wait())}
        await asyncio.wait({receiver, *waits}, return_when=asyncio.FIRST_COMPLETED)
        stop.set()
        for task in (receiver, *waits):
            task.cancel()
        try:
            await receiver  # a receiver's own error (a refused token...) surfaces here
        except asyncio.CancelledError:
            pass
        except WorkerGone as exc:
            log.error("%s; stopping", exc)
            supervisor.failed.set()


async def _webhook(bot: Bot, supervisor: Supervisor, settings: Settings,
                   stop: asyncio.Event) -> None:
    from aiohttp import web

    from bot.core.storage.session import Database
    from bot.faces.telegram.webhook import (
        PATH,
        database_report,
        make_webhook_server,
        webhook_runner,
    )

    db = Database(settings.database_url)  # only for /health: the workers do the work

    async def health() -> dict:
        """Healthy when every worker is alive and the database answers."""
        alive = supervisor.alive()
        report = await asyncio.to_thread(database_report, db)
        healthy = alive == len(supervisor.workers) and report["status"] == "ok"
        return {**report, "status": "ok" if healthy else "error",
                "workers": len(supervisor.workers), "workers_alive": alive}

    server = make_webhook_server(supervisor.route, settings.webhook_secret or "", health)
    runner = webhook_runner(server)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
        await bot.set_webhook(settings.webhook_url or "", secret_token=settings.webhook_secret,
                              allowed_updates=Update.ALL_TYPES)
        log.info("webhook listening on %s:%s%s", settings.webhook_listen,
                 settings.webhook_port, PATH)
        await stop.wait()
    finally:
        await runner.cleanup()
        db.dispose()
