"""One account flooding the bot: the other villagers' reply latency, before and after the fix.

Usage:
    .venv/bin/python benchmarks/flood.py [--runs 3] [--flood 1000] [--probes 100]

Three phases per run, each on a fresh SQLite database with the real Application polling an
in-process emulator (Telegram's flood limits on: the per-chat 429 is part of the problem):

- `baseline`: no flood; `--probes` villagers (each a new account) ask one question each,
  one every 0.1 s.
- `flood-before`: the same probes while one account has just sent `--flood` messages at once,
  with the bot as it was before issue 13.1 was fixed: the person's lock taken inside
  python-telegram-bot's 64-slot semaphore (`LegacyProcessor`, a copy of the old
  `bot/faces/telegram/ordering.py`) and PTB's `AIORateLimiter` (a 429 for one chat pauses all).
- `flood-after`: the same with the bot as it is (`bot/faces/telegram/ordering.py`,
  `bot/faces/telegram/retry_after.py`).

A probe's latency runs from sending its question to the bot's first message in its chat; a
probe without an answer within `--wait` seconds counts as `--wait` and as unanswered. Figures:
p50, p99 and max of the probes per phase, medians over `--runs`; the flooder's answered
messages and notices. The bot, the emulator and the probes share one event loop and the
machine's cores: read the phases against the baseline of the same run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchlib import RESULTS, fmt, loadavg, median, percentile, write_json  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import AIORateLimiter, BaseUpdateProcessor  # noqa: E402

from bot.core.config import Settings  # noqa: E402
from bot.core.storage.migrate import upgrade  # noqa: E402
from bot.core.storage.session import Database  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.faces.telegram.app import build_application, build_services, start_app, stop_app  # noqa: E402

TOKEN = "123456:FLOOD-bench"
QUESTION = "cara buat paspor untuk kerja di luar negeri"


class LegacyProcessor(BaseUpdateProcessor):
    """The old ordering: the per-user lock is waited for inside PTB's semaphore."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[Any, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = (update.effective_user.id, update.effective_chat.id) \
            if isinstance(update, Update) and update.effective_user else None
        async with self._locks.setdefault(key, asyncio.Lock()):
            await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


async def phase(services: Any, name: str, args: argparse.Namespace) -> dict[str, Any]:
    emu = Emulator()  # its own, so no update of an earlier phase is left in its queue
    await emu.start()
    try:
        settings = replace(services.settings, api_base_url=emu.base_url)
        return await _phase(emu, settings, services, name, args)
    finally:
        await emu.stop()


async def _phase(emu: Emulator, settings: Settings, services: Any, name: str,
                 args: argparse.Namespace) -> dict[str, Any]:
    app = build_application(settings, services, background=False)
    if name == "flood-before":
        app._update_processor = LegacyProcessor(64)
        with app.bot._unfrozen():
            app.bot._rate_limiter = AIORateLimiter(max_retries=5)
    await start_app(app)
    await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES)
    flooder = emu.person("Banjir")
    if name != "baseline":
        for i in range(args.flood):
            await flooder.say(f"{QUESTION} {i}")
    sent: list[tuple[Any, float]] = []

    async def probe(i: int) -> float | None:
        await asyncio.sleep(i * 0.1)  # the schedule of arrivals (open loop), not a sync
        person = emu.person(f"Warga {name} {i}")
        start = time.monotonic()
        await person.say(QUESTION)
        sent.append((person, start))
        try:
            reply = await emu.next_from_bot(person.id, timeout=args.wait)
        except TimeoutError:
            return None
        return reply.at - start

    latencies = await asyncio.gather(*(probe(i) for i in range(args.probes)))
    answered = [x for x in latencies if x is not None]
    values = [x if x is not None else args.wait for x in latencies]
    flooder_texts = [e.text for e in emu.world.bot_messages(flooder.id)]
    emu.limits.enabled = False  # let the old code drain its backlog quickly at the end
    await stop_app(app)
    return {"phase": name, "p50_ms": percentile(values, 50) * 1000,
            "p99_ms": percentile(values, 99) * 1000, "max_ms": max(values) * 1000,
            "unanswered": len(values) - len(answered),
            "flooder_replies": len(flooder_texts),
            "flooder_notices": sum("terlalu cepat" in t for t in flooder_texts)}


async def main_async(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="desabot-flood-"))
    base = Settings(database_url="", data_dir=tmp, token=TOKEN)
    shared = build_services(replace(base, database_url=f"sqlite:///{tmp / 'unused.sqlite3'}"))
    runs: list[list[dict[str, Any]]] = []
    for run in range(args.runs):
        results = []
        for name in ("baseline", "flood-before", "flood-after"):
            url = f"sqlite:///{tmp / f'{name}-{run}.sqlite3'}"
            upgrade(url)
            db = Database(url)
            services = replace(shared, db=db, settings=replace(base, database_url=url),
                               outbox_wakeup=asyncio.Event(), delivery_wakeup=asyncio.Event())
            results.append(await phase(services, name, args))
            db.dispose()
            print(json.dumps(results[-1]), flush=True)
        runs.append(results)
    summary = []
    for index, name in enumerate(("baseline", "flood-before", "flood-after")):
        rows = [r[index] for r in runs]
        summary.append({"phase": name, **{k: median([row[k] for row in rows]) for k in
                                          ("p50_ms", "p99_ms", "max_ms", "unanswered",
                                           "flooder_replies", "flooder_notices")}})
    print(f"\nothers' reply latency while one account floods {args.flood} messages "
          f"(medians of {args.runs} runs, {args.probes} probes each; load {loadavg()}):")
    print(f"{'phase':<14}{'p50 ms':>9}{'p99 ms':>10}{'max ms':>10}{'unanswered':>12}"
          f"{'flooder replies':>17}{'notices':>9}")
    for row in summary:
        print(f"{row['phase']:<14}{fmt(row['p50_ms']):>9}{fmt(row['p99_ms']):>10}"
              f"{fmt(row['max_ms']):>10}{fmt(row['unanswered'], 0):>12}"
              f"{fmt(row['flooder_replies'], 0):>17}{fmt(row['flooder_notices'], 0):>9}")
    write_json(RESULTS / "flood.json", {"args": vars(args), "runs": runs, "summary": summary})
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--probes", type=int, default=100)
    parser.add_argument("--wait", type=float, default=60.0)
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
