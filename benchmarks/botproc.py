"""Run `desabot` (bot.cli) with a profiler on every thread, or with a diagnostic change.

Usage (the benchmarks start it; by hand it is):
    .venv/bin/python benchmarks/botproc.py [--profile OUT.prof] [--no-overall-limit] -- run

--profile: cProfile on the main thread (the asyncio loop) AND on every thread started later
    (asyncio.to_thread's pool, where the NLU and the database work run); cProfile alone sees
    only the main thread. At exit the per-thread profiles are written as OUT.main.prof,
    OUT.threads.prof and the merge OUT (pstats format).
--no-overall-limit: DIAGNOSTIC ONLY. Replaces python-telegram-bot's AIORateLimiter with one
    whose overall (all chats) limit is off, keeping the per-group limit, to see what the bot
    could do without its 30 messages/s client-side cap. Never used for the reported figures.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import threading
import time
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

    telegram.ext.AIORateLimiter = NoOverallLimit  # bot.app imports it after this


class ThreadProfiles:
    """One cProfile.Profile per thread started after `install()`."""

    def __init__(self) -> None:
        self.done: list[cProfile.Profile] = []
        self._lock = threading.Lock()

    def install(self) -> None:
        original = threading.Thread.run
        profiles = self

        def run(thread: threading.Thread) -> None:
            prof = cProfile.Profile()
            prof.enable()
            try:
                original(thread)
            finally:
                prof.disable()
                with profiles._lock:
                    profiles.done.append(prof)

        threading.Thread.run = run  # type: ignore[method-assign]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--no-overall-limit", action="store_true")
    args, rest = parser.parse_known_args()
    if rest and rest[0] == "--":
        rest = rest[1:]
    if args.no_overall_limit:
        _patch_rate_limiter()
    threads = ThreadProfiles()
    main_prof = cProfile.Profile() if args.profile else None
    if args.profile:
        threads.install()
        main_prof.enable()
    from bot.cli import main as cli_main

    try:
        code = cli_main(rest)
    finally:
        if main_prof is not None:
            main_prof.disable()
            _dump(args.profile, main_prof, threads)
    return code


def _dump(path: Path, main_prof: cProfile.Profile, threads: ThreadProfiles) -> None:
    # The loop closed its default executor (shutdown(wait=False)); let its workers finish.
    deadline = time.monotonic() + 10
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    main_prof.dump_stats(str(path.with_suffix(".main.prof")))
    with threads._lock:
        done = list(threads.done)
    merged = pstats.Stats(main_prof)
    if done:
        stats = pstats.Stats(done[0])
        for prof in done[1:]:
            stats.add(prof)
        stats.dump_stats(str(path.with_suffix(".threads.prof")))
        merged.add(stats)
    merged.dump_stats(str(path))
    print(f"botproc: profiles written ({len(done)} worker thread(s))", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
