"""What one update costs: a bare python-telegram-bot echo bot beside our bot, same run, same driver.

Usage:
    .venv/bin/python benchmarks/echo_floor.py [--db postgres|sqlite] [--rates 100,300]
        [--variants echo-polling,echo-webhook,bot-webhook,bot-webhook-redis,bot-polling]
        [--users 300] [--seconds 10] [--runs 1] [--rounds 1] [--profile bot-webhook]

Each variant is one process against the in-process emulator (flood limits off), driven by
`load.py`'s open-loop driver with its `qa` mix, one after the other in the same run:

- echo-polling: `botproc.py --echo`, python-telegram-bot's defaults, long polling, one
  `reply_text` per message, no database, no NLU (load.py's `--echo`).
- echo-webhook: the same bot on python-telegram-bot's own `run_webhook` (tornado): the
  floor of any bot on this library over a webhook, the way Telegram delivers in production.
- bot-webhook: `desabot run --webhook`, one process, its budget in memory, so the first reply
  of an update rides in the webhook's answer (`webhook_answer.py`).
- bot-webhook-redis: the same with REDIS_URL set, as each process of a fleet runs: the lock
  per person and the sending budget in Redis, every reply a request of its own; the
  budget raised to 1,000 a second as the emulator's limits are off (SEND_BUDGET_PER_SECOND).
- bot-polling: `desabot run` (long polling), as load.py's one-process figures.

The figure that says what is possible is "bot CPU ms/update" (the bot process's CPU time over
the load period divided by the updates answered in it): unlike replies/s and p99 it barely
depends on how busy the shared machine is. `--rounds N` repeats the whole sequence so that a
variant is measured N times interleaved with the others. Output: a table and
benchmarks/results/echo_floor_<db>.json. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchlib import (  # noqa: E402
    RESULTS,
    TOKEN,
    BenchDatabase,
    BotProcess,
    fmt,
    loadavg,
    median,
    prewarm_nlu,
    write_json,
)
from load import measure, seed_database  # noqa: E402
from load_driver import LoadDriver  # noqa: E402
from load_report import print_profile, profile_tops  # noqa: E402
from load_users import load_questions  # noqa: E402

from bot.core.storage.session import Database  # noqa: E402
from bot.emulator import Emulator, FloodLimits  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/0"
SECRET = "echo-floor-secret"
VARIANTS = ("echo-polling", "echo-webhook", "bot-webhook", "bot-webhook-redis", "bot-polling")
BOT_ENV = {"TIP_DAILY_LIMIT": "100000"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WebhookProcess(BotProcess):
    """A BotProcess serving a webhook on its own loopback port (no proxy in between)."""

    async def start(self, timeout: float = 180) -> None:
        """Start, then wait until the emulator delivers to this process's webhook."""
        port = _free_port()
        self.env.update({"WEBHOOK_PORT": str(port), "WEBHOOK_SECRET_TOKEN": SECRET,
                         "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram"})
        await super().start(timeout)
        # Polled: setWebhook does not notify the emulator's `world.changed`.
        for _ in range(1200):
            hook = self.emu.queue.webhook
            if hook is not None and hook.url.endswith(f":{port}/telegram"):
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("the webhook was not registered within 60 s")


def make(variant: str, emu: Emulator, data_dir: Path, url: str,
         profile: Path | None = None) -> BotProcess:
    """The process of one variant (not started); `profile`: our bot under botproc --profile."""
    if profile is not None:
        bot = make(variant, emu, data_dir, url)
        bot.wrapper_args = ["--profile", str(profile), "--cpu"]
        return bot
    if variant == "echo-polling":
        return BotProcess(emu, data_dir, url, wrapper_args=["--echo"], name=variant)
    if variant == "echo-webhook":
        return WebhookProcess(emu, data_dir, url, wrapper_args=["--echo"], webhook=True,
                              name=variant)
    if variant == "bot-webhook":
        return WebhookProcess(emu, data_dir, url, BOT_ENV, webhook=True, name=variant)
    if variant == "bot-webhook-redis":
        return WebhookProcess(emu, data_dir, url, {**BOT_ENV, "REDIS_URL": REDIS_URL,
                                                   "SEND_BUDGET_PER_SECOND": "1000"},
                              webhook=True, name=variant)
    if variant == "bot-polling":
        return BotProcess(emu, data_dir, url, BOT_ENV, name=variant)
    raise ValueError(variant)


async def main_async(args: argparse.Namespace) -> int:
    variants = [v for v in args.variants.split(",") if v]
    rates = [float(r) for r in args.rates.split(",") if r]
    plan = [("qa", r) for r in rates]
    workdir = Path(tempfile.mkdtemp(prefix="desabot-echo-floor-"))
    data_dir = workdir / "data"
    data_dir.mkdir()
    print(f"echo floor: db={args.db} rates={rates} variants={variants} users={args.users} "
          f"seconds={args.seconds} runs={args.runs} rounds={args.rounds}; load {loadavg()}")
    print(f"NLU cache pre-warmed in {prewarm_nlu(data_dir):.1f} s", flush=True)
    bench_db = BenchDatabase(args.db, workdir)
    db = Database(bench_db.url)
    emu = Emulator(token=TOKEN, limits=FloodLimits(enabled=False))
    await emu.start()
    questions = load_questions()
    out: dict[str, Any] = {"benchmark": "echo_floor", "db": args.db, "args": vars(args),
                           "started": datetime.now(UTC).isoformat(timespec="seconds"),
                           "load_average_start": loadavg(), "rounds": []}
    try:
        seed_database(db, emu)
        for n in range(args.rounds):
            for variant in variants:
                print(f"\nround {n + 1}: {variant}", flush=True)
                bot = make(variant, emu, data_dir, bench_db.url)
                try:
                    found = await measure(emu, db, bot, questions, plan, args)
                finally:
                    await bot.terminate()
                out["rounds"].append({"round": n + 1, "variant": variant, **found})
        out["load_average_end"] = loadavg()
        out["table"] = report(out["rounds"], variants, rates)
        if args.profile:
            out["profile"] = await profiled(emu, db, bench_db.url, data_dir, questions, args,
                                            rates[0])
    finally:
        await emu.stop()
        db.dispose()
        bench_db.drop()
        path = Path(args.output) if args.output else RESULTS / f"echo_floor_{args.db}.json"
        write_json(path, out)
        print(f"\nwrote {path}")
    return 0


async def profiled(emu: Emulator, db: Database, url: str, data_dir: Path, questions: list[str],
                   args: argparse.Namespace, rate: float) -> dict[str, Any]:
    """One more qa run of `--profile`'s variant under cProfile (steady window, CPU time)."""
    prof = data_dir / f"{args.profile}.prof"
    bot = make(args.profile, emu, data_dir, url, profile=prof)
    print(f"\nprofiled: {args.profile}, qa @ {rate:.0f}/s for {args.seconds} s", flush=True)
    await bot.start()
    try:
        driver = LoadDriver(emu, db, bot, questions, args.seed + 7)
        await driver.run("mixed", 50, min(args.users, 100), 4, args.drain)  # warm-up
        result = await driver.run("qa", rate, args.users, args.seconds, args.drain,
                                  profile_window=True)
    finally:
        await bot.terminate(timeout=90)
    tops = profile_tops(prof, 25) if prof.exists() else {}
    print_profile(tops, f"profile of {args.profile} (cProfile; {prof})")
    return {"rate": rate, "replies_per_s": result.replies_per_s, "profile_file": str(prof),
            "top": tops}


def report(rounds: list[dict[str, Any]], variants: list[str],
           rates: list[float]) -> list[dict[str, Any]]:
    """Medians over every run of every round, per variant and rate; printed as a table."""
    rows = []
    print("\n| variant | target/s | replies/s | p50 ms | p99 ms | bot CPU ms/update (runs) "
          "| bench CPU ms/update | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for variant in variants:
        mine = [r for r in rounds if r["variant"] == variant]
        for rate in rates:
            results = [x for r in mine for s in r["runs"] if s["rate"] == rate
                       for x in s["results"]]
            cpu = [x["bot_cpu_ms_per_update"] for x in results]
            peaks = [r["bot_peak_rss_kib"] for r in mine if r["bot_peak_rss_kib"]]
            row = {"variant": variant, "rate": rate,
                   "replies_per_s": median([x["replies_per_s"] for x in results]),
                   "p50_ms": median([x["p50_ms"] for x in results]),
                   "p99_ms": median([x["p99_ms"] for x in results]),
                   "bot_cpu_ms_per_update": median(cpu), "bot_cpu_runs": cpu,
                   "bench_cpu_ms_per_update": median([x["bench_cpu_ms_per_update"]
                                                      for x in results]),
                   "peak_rss_mib": max(peaks) / 1024 if peaks else None}
            rows.append(row)
            print(f"| {variant} | {rate:.0f} | {fmt(row['replies_per_s'])} | "
                  f"{fmt(row['p50_ms'], 0)} | {fmt(row['p99_ms'], 0)} | "
                  f"**{fmt(row['bot_cpu_ms_per_update'], 2)}** "
                  f"({', '.join(fmt(c, 2) for c in cpu)}) | "
                  f"{fmt(row['bench_cpu_ms_per_update'], 2)} | {fmt(row['peak_rss_mib'], 0)} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--rates", default="100,300", help="qa target rates, updates/s")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=1, help="runs per rate in each round")
    parser.add_argument("--rounds", type=int, default=1, help="times the whole sequence runs")
    parser.add_argument("--drain", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--output", default=None)
    parser.add_argument("--profile", choices=[v for v in VARIANTS if v.startswith("bot")],
                        help="then profile this variant once more at the first rate")
    args = parser.parse_args()
    if "bot-webhook-redis" in args.variants and args.db != "postgres":
        parser.error("bot-webhook-redis is the fleet's process: it needs --db postgres")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
