"""One worker process of a multi-process bot (BOT_WORKERS > 1): see supervisor.py.

The worker is the whole bot (the same Application, handlers and database) without its own
connection for receiving updates: the supervisor sends it updates as JSON lines on stdin.
Only worker 0 runs the background work (outbox, broadcasts, scheduler, periodic jobs), so
nothing is sent twice. When its stdin closes, the worker finishes the updates it has and
exits; when the supervisor dies, the kernel kills the worker (like a power cut for both).

Telegram's 30 messages a second are one budget for the whole bot, but only worker 0 paces
broadcasts: the other workers report how many messages they sent (`#sent N` lines on their
stdout, every `REPORT_EVERY` seconds), the supervisor passes the lines to worker 0, and worker
0 charges them to its broadcast pacer as if it had sent them itself.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import logging
import os
import signal
import sys

from telegram import Update

from bot.core.config import Settings
from bot.faces.telegram.app import build_application, start_app, stop_app
from bot.faces.telegram.pacer import Pacer

log = logging.getLogger(__name__)
READY = b"desabot-worker-ready\n"
SENT_PREFIX = b"#sent "  # never the start of an update's JSON line
REPORT_EVERY = 0.1  # seconds
MAX_LINE = 16 * 1024 * 1024  # an update is at most a few tens of kilobytes
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """SIGKILL this process when the supervisor dies (Linux); elsewhere, watch stdin only."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the supervisor died before prctl took effect
        os._exit(1)


async def serve_worker(settings: Settings, index: int) -> None:
    """Run until stdin closes: every line is one update for this worker."""
    app = build_application(settings, background=index == 0)
    await start_app(app)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # the supervisor decides when to stop
        loop.add_signal_handler(sig, lambda: None)
    try:
        reader = asyncio.StreamReader(limit=MAX_LINE)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        sys.stdout.buffer.write(READY)
        sys.stdout.flush()
        reporter = None if index == 0 else asyncio.create_task(_report_sends(app.bot.pacer))
        while line := await reader.readline():
            if line.startswith(SENT_PREFIX):
                charge_report(app.bot.pacer, line)
            else:
                await _enqueue(app, line)
    finally:
        if reporter is not None:
            reporter.cancel()
        await stop_app(app)  # the updates already queued are handled first


class SendReport:
    """What this worker has sent since its last report, as a `#sent N` line (or None)."""

    def __init__(self, pacer: Pacer) -> None:
        self.pacer = pacer
        self.reported = 0

    def line(self) -> bytes | None:
        """The next report line; None when nothing was sent since the last one."""
        sent = self.pacer.others - self.reported
        if sent <= 0:
            return None
        self.reported += sent
        return SENT_PREFIX + str(sent).encode() + b"\n"


async def _report_sends(pacer: Pacer) -> None:
    report = SendReport(pacer)
    while True:
        await asyncio.sleep(REPORT_EVERY)  # a reporting period
        if (line := report.line()) is not None:
            sys.stdout.buffer.write(line)
            sys.stdout.flush()


def charge_report(pacer: Pacer, line: bytes) -> None:
    """Worker 0: another worker's `#sent N` line uses up the broadcast budget."""
    try:
        count = int(line[len(SENT_PREFIX):])
    except ValueError:
        log.warning("unreadable send report from a worker; ignored")
        return
    pacer.note_sends(count)


async def _enqueue(app: object, line: bytes) -> None:
    try:
        update = Update.de_json(json.loads(line), app.bot)  # type: ignore[attr-defined]
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        log.error("worker got an unreadable update (%s); skipped", exc.__class__.__name__)
        return
    await app.update_queue.put(update)  # type: ignore[attr-defined]


def run_worker(settings: Settings, index: int) -> None:
    """Entry point of `desabot worker INDEX` (started by the supervisor, not by hand)."""
    die_with_parent()
    asyncio.run(serve_worker(settings, index))
