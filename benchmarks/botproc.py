"""Run `desabot` (bot.main) under cProfile for a chosen window, or with a diagnostic change.

Usage (the benchmarks start it; by hand it is):
    .venv/bin/python benchmarks/botproc.py [--profile OUT.prof] [--no-overall-limit] -- run

--profile: nothing is profiled until the process gets SIGUSR1; SIGUSR2 stops profiling (the
    load benchmark sends them at the start and end of its steady window, so start-up imports
    and content loading stay out). Two profiles are kept: the main thread (the asyncio loop:
    python-telegram-bot, handlers, HTTP) and the work the bot hands to `asyncio.to_thread`
    (NLU, database), which plain `python -m cProfile` would not see. Each call given to
    asyncio.to_thread is profiled in its worker thread, so idle pool threads cost nothing.
    At exit: OUT.main.prof, OUT.threads.prof and their merge OUT (pstats format). With
    --cpu the profiles count each thread's CPU time (time.thread_time), so waits on the
    database, Redis or a busy machine's scheduler are left out.
--echo: CEILING ONLY. Runs, instead of the bot, a bare python-telegram-bot application that
    answers every message with one sendMessage (no database, no NLU, no content): the most any
    bot on this library can do on this machine with the same emulator and load driver. The
    load benchmark's `--echo` measures it beside the real bot, so "500 updates/s" can be read
    against what the library alone reaches here. With `-- run --webhook` it serves
    python-telegram-bot's own webhook (`run_webhook`) instead of polling (echo_floor.py).
--modules OUT: on SIGUSR1, write the top-level packages in sys.modules to OUT, one a line
    (rest_rss.py --modules: what the process holds at rest). Not with --profile.
--no-overall-limit: DIAGNOSTIC ONLY. Replaces python-telegram-bot's AIORateLimiter with one
    whose overall (all chats) limit is off, keeping the per-group limit, to see what the bot
    could do without its 30 messages/s client-side cap. Never used for the reported figures.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import pstats
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _patch_rate_limiter() -> None:
    import telegram.ext

    base = telegram.ext.AIORateLimiter

    class NoOverallLimit(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            kwargs["overall_max_rate"] = 0
            super().__init__(*args, **kwargs)

    telegram.ext.AIORateLimiter = NoOverallLimit  # bot.faces.telegram.app imports it after this


class WindowProfiler:
    """cProfile for the main thread and for asyncio.to_thread calls, between two signals."""

    def __init__(self, timer: Callable[[], float] | None = None) -> None:
        self.active = False
        self._timer = timer
        self.main = self._new()
        self.workers: list[cProfile.Profile] = []
        self._local = threading.local()
        self._lock = threading.Lock()
        self.windows = 0

    def install(self) -> None:
        signal.signal(signal.SIGUSR1, lambda *_: self.start())
        signal.signal(signal.SIGUSR2, lambda *_: self.stop())
        original = asyncio.to_thread
        profiler = self

        async def to_thread(func, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            return await original(profiler._wrap(func), *args, **kwargs)

        asyncio.to_thread = to_thread  # the bot calls asyncio.to_thread(...) at run time

    def _wrap(self, func):  # type: ignore[no-untyped-def]
        @functools.wraps(func)
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            if not self.active:
                return func(*args, **kwargs)
            prof = getattr(self._local, "prof", None)
            if prof is None:
                prof = self._local.prof = self._new()
                with self._lock:
                    self.workers.append(prof)
            prof.enable()
            try:
                return func(*args, **kwargs)
            finally:
                prof.disable()

        return run

    def _new(self) -> cProfile.Profile:
        """A profile on wall time, or on `timer` (time.thread_time: this thread's CPU)."""
        return cProfile.Profile(self._timer) if self._timer else cProfile.Profile()

    def start(self) -> None:
        if not self.active:
            self.active = True
            self.windows += 1
            self.main.enable()

    def stop(self) -> None:
        if self.active:
            self.active = False
            self.main.disable()

    def dump(self, path: Path) -> None:
        self.stop()
        self.main.dump_stats(str(path.with_suffix(".main.prof")))
        merged = pstats.Stats(self.main)
        with self._lock:
            workers = list(self.workers)
        if workers:
            stats = pstats.Stats(workers[0])
            for prof in workers[1:]:
                stats.add(prof)
            stats.dump_stats(str(path.with_suffix(".threads.prof")))
            merged.add(stats)
        merged.dump_stats(str(path))
        print(f"botproc: {self.windows} profiled window(s), {len(workers)} worker profile(s)",
              file=sys.stderr)


def install_module_dump(out: Path) -> None:
    """SIGUSR1 writes the sorted top-level package names now loaded to `out`."""

    def dump(*_: object) -> None:
        names = sorted({name.partition(".")[0] for name in list(sys.modules)})
        out.write_text("\n".join(names) + "\n")

    signal.signal(signal.SIGUSR1, dump)


def run_echo(webhook: bool = False) -> int:
    """The ceiling: python-telegram-bot's defaults, one reply per message, nothing else.

    `webhook`: python-telegram-bot's own `run_webhook` (its tornado server) on
    WEBHOOK_PORT, registered as WEBHOOK_URL with WEBHOOK_SECRET_TOKEN, instead of polling.
    """
    import os

    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters
    from telegram.request import HTTPXRequest

    async def post_init(app: Application) -> None:
        await app.bot.set_my_commands([("start", "mulai")])  # the benchmark waits for this

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text("ok")

    base = os.environ["TELEGRAM_API_BASE_URL"]
    app = (Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"])
           .base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
           .request(HTTPXRequest(connection_pool_size=256))
           .concurrent_updates(256).post_init(post_init).build())
    app.add_handler(MessageHandler(filters.ALL, echo))
    if webhook:
        app.run_webhook(listen="127.0.0.1", port=int(os.environ["WEBHOOK_PORT"]),
                        url_path="telegram", webhook_url=os.environ["WEBHOOK_URL"],
                        secret_token=os.environ["WEBHOOK_SECRET_TOKEN"],
                        allowed_updates=Update.ALL_TYPES, max_connections=100)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--echo", action="store_true")
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--cpu", action="store_true",
                        help="profile each thread's CPU time, not wall time (waits left out)")
    parser.add_argument("--no-overall-limit", action="store_true")
    parser.add_argument("--modules", type=Path, help="SIGUSR1 writes loaded packages here")
    args, rest = parser.parse_known_args()
    if rest and rest[0] == "--":
        rest = rest[1:]
    if args.echo:
        return run_echo(webhook="--webhook" in rest)
    if args.no_overall_limit:
        _patch_rate_limiter()
    profiler = WindowProfiler(time.thread_time if args.cpu else None) if args.profile else None
    if profiler:
        profiler.install()
    elif args.modules:
        install_module_dump(args.modules)
    from bot.main import main as cli_main

    try:
        return cli_main(rest)
    finally:
        if profiler:
            profiler.dump(args.profile)


if __name__ == "__main__":
    sys.exit(main())
