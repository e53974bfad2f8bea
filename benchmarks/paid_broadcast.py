"""A text broadcast with and without Telegram's paid broadcasts, side by side in one run.

Usage:
    .venv/bin/python benchmarks/paid_broadcast.py [--subscribers 3000] [--pairs 1]
        [--cap-stars 1000] [--balance 20000]

Each pair runs the same broadcast twice, each time on a fresh SQLite file with `desabot run`
in a subprocess against the emulator in this process, with Telegram's flood limits: first
free (PAID_BROADCAST unset, the default), then paid (PAID_BROADCAST=1,
PAID_BROADCAST_MONTHLY_STARS=--cap-stars; the emulator's bot holds --balance Stars).
Measured from the emulator's transcript: the rate from the first to the last message, the
messages sent with allow_paid_broadcast, the Stars the emulator billed and the bot's own
counter (star_spend), 429s, duplicates and losses. A cap smaller than the broadcast shows
the fall back to the free pace. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import benchlib  # noqa: E402
from benchlib import BenchDatabase, BotProcess, loadavg, median, prewarm_nlu  # noqa: E402
from broadcast import seed  # noqa: E402

from bot.core.storage.models import utcnow  # noqa: E402
from bot.core.storage.session import Database  # noqa: E402
from bot.domain.messaging import star_spend  # noqa: E402
from bot.domain.messaging.paid_broadcast import month_of  # noqa: E402
from bot.domain.programme import broadcasts  # noqa: E402
from bot.emulator import Emulator  # noqa: E402

TEXT = "Pengumuman: sosialisasi bahaya TPPO di balai desa hari Sabtu"


async def one(args: argparse.Namespace, paid: bool, cache: Path) -> dict[str, float]:
    """One broadcast; its figures."""
    workdir = Path(tempfile.mkdtemp(prefix="desabot-paid-"))
    data_dir = workdir / "data"
    data_dir.mkdir()
    (data_dir / "nlu-cache").symlink_to(cache)
    bench_db = BenchDatabase("sqlite", workdir)
    db = Database(bench_db.url)
    emu = Emulator(token=benchlib.TOKEN)
    emu.api.seed_stars(args.balance)
    await emu.start()
    env = {"PAID_BROADCAST": "1", "PAID_BROADCAST_MONTHLY_STARS": str(args.cap_stars)} \
        if paid else {}
    bot = BotProcess(emu, data_dir, bench_db.url, env)
    try:
        village, people = seed(db, emu, args.subscribers)
        await bot.start()
        recipients = set(people)
        broadcasts.create(db, village, "text", {"text": TEXT}, None)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            sent = sum(1 for e in emu.world.transcript
                       if e.direction == "out" and e.chat_id in recipients)
            if sent >= len(people):
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.0)
        sends = [e for e in emu.world.transcript
                 if e.direction == "out" and e.chat_id in recipients]
        per_chat = collections.Counter(e.chat_id for e in sends)
        flagged = [e for e in sends if e.params.get("allow_paid_broadcast")]
        counted = star_spend.spent(db, int(benchlib.TOKEN.split(":")[0]),
                                   month_of(utcnow(), bot_tz()))
        seconds = sends[-1].at - sends[0].at if len(sends) > 1 else float("nan")
        return {"rate": (len(sends) - 1) / seconds, "seconds": seconds,
                "flagged": len(flagged), "billed_stars": emu.api.stars_spent,
                "counted_stars": counted / 10, "429": emu.limits.hits,
                "duplicates": sum(1 for n in per_chat.values() if n > 1),
                "lost": len(recipients - set(per_chat))}
    finally:
        await bot.terminate()
        await emu.stop()
        db.dispose()


def bot_tz():  # type: ignore[no-untyped-def]
    """The bot's default time zone (DESABOT_TIMEZONE unset): the month it counts in."""
    from zoneinfo import ZoneInfo
    return ZoneInfo("Asia/Jakarta")


async def main_async(args: argparse.Namespace) -> None:
    benchlib.TOKEN = f"{int(time.time()) % 10**8 + 10**8}:BENCH-paid"
    cache = Path(tempfile.mkdtemp(prefix="desabot-paid-nlu-"))
    print(f"paid broadcast benchmark: {args.subscribers} subscribers, cap {args.cap_stars} "
          f"Stars, balance {args.balance} Stars; load average {loadavg()}")
    (cache / "data").mkdir()
    print(f"NLU cache warmed in {prewarm_nlu(cache / 'data'):.1f} s", flush=True)
    runs: dict[str, list[dict[str, float]]] = {"free": [], "paid": []}
    for pair in range(args.pairs):
        for mode in ("free", "paid"):
            figures = await one(args, mode == "paid", cache / "data" / "nlu-cache")
            runs[mode].append(figures)
            print(f"pair {pair + 1} {mode}: " + ", ".join(
                f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}"
                for k, v in figures.items()), flush=True)
    free, paid = (median([r["rate"] for r in runs[m]]) for m in ("free", "paid"))
    print(f"median rate: free {free:.1f}/s ({free / 30:.0%} of 30/s), paid {paid:.1f}/s "
          f"({paid / free:.1f} x free); load average {loadavg()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=1)
    parser.add_argument("--cap-stars", type=float, default=1000.0)
    parser.add_argument("--balance", type=float, default=20_000.0)
    asyncio.run(main_async(parser.parse_args()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
