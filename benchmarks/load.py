"""Interactive load: many villagers asking at once, against the bot as a subprocess.

Usage:
    .venv/bin/python benchmarks/load.py --db sqlite|postgres [--users 300] [--seconds 20]
        [--runs 3] [--rates 200,300,400] [--mixed-rates 200] [--profile auto|always|never]
        [--diagnose]

The emulator runs in this process with flood limits DISABLED (hundreds of simulated users each
get one reply; Telegram's 30/s overall limit is about broadcasts, and this benchmark measures
how fast the bot itself answers). The bot runs as `desabot run` in a subprocess, on a fresh
SQLite file or a fresh PostgreSQL database `desabot_bench_<hex>` (dropped at the end).

Load: an open-loop schedule of arrivals at the target rate; each arrival is taken by an idle
simulated user, who sends its next message (the next step of its conversation) and waits for
the bot's first reply before it is idle again (a user's messages keep their order; many users
run concurrently). When every user is waiting for a reply, arrivals wait for a free user, so
an overloaded bot shows as "sent/s" below the target and as latency.

Two mixes: "qa" (informal questions from content/id/answers/*.yml and nlu/tests/test_data.yml)
and "mixed" (questions, pasted job offers to check, /kuis + answering the poll, and whole
/lapor tip reports pressing the flow's buttons through "tf:send").

Figures per run: replies/s over the steady window (the load period minus a warm-up), reply
latency p50/p99 from the moment send_text (or the button press) is called to the Event.at of
the bot's first message in that user's chat, unanswered messages (no reply within the drain
time after the load stops), the bot's CPU use and peak RSS (VmHWM). Baseline in the same run:
the emulator's own getMe / sendMessage round-trip rate from a client subprocess. Medians of
--runs are printed as a table and written to benchmarks/results/load_<db>.json. A benchmark,
not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from dataclasses import asdict
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
    emulator_baseline,
    fmt,
    loadavg,
    prewarm_nlu,
    write_json,
)
from fleet import Fleet  # noqa: E402
from load_driver import LoadDriver, RunResult  # noqa: E402
from load_report import (  # noqa: E402
    floor_met,
    print_report,
    print_workers,
    profile_tops,
    summarise,
)
from load_users import load_questions  # noqa: E402

from bot.core.storage.session import Database  # noqa: E402
from bot.domain.people import roles  # noqa: E402
from bot.domain.programme.village_import import import_villages  # noqa: E402
from bot.emulator import Emulator, FloodLimits  # noqa: E402

VILLAGES_CSV = ROOT / "tests" / "fixtures" / "villages_fictional.csv"
# The fleet's shared budget is raised to match the emulator's disabled limits: at Telegram's
# 29.5 a second it would hold 500 replies a second to 29.5 (what is measured is the bot).
FLEET_ENV = {"TIP_DAILY_LIMIT": "100000", "SEND_BUDGET_PER_SECOND": "1000"}


# -- seeding ---------------------------------------------------------------------------------
def seed_database(db: Database, emu: Emulator) -> None:
    """Offices, the fictional villages and one officer per office (tips get alerted)."""
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(db, VILLAGES_CSV)
    for code, name in (("tpi", "Petugas Satu"), ("mtr", "Petugas Dua")):
        token = roles.create_invite(db, "officer", office_code=code)
        officer = emu.person(name)
        roles.redeem(db, token, officer.id, name)


# -- the profile -----------------------------------------------------------------------------
async def measure_baselines(emu: Emulator, chat_id: int) -> dict[str, Any]:
    return {
        "getMe_c1": await emulator_baseline(emu, "getMe", concurrency=1),
        "getMe_c8": await emulator_baseline(emu, "getMe", concurrency=8),
        "sendMessage_c8": await emulator_baseline(
            emu, "sendMessage", {"chat_id": chat_id, "text": "baseline"}, concurrency=8),
    }


async def run_series(driver: LoadDriver, plan: list[tuple[str, float]], args: argparse.Namespace,
                     runs: int, label: str) -> dict[tuple[str, float], list[RunResult]]:
    results: dict[tuple[str, float], list[RunResult]] = {}
    for mix, rate in plan:
        for n in range(runs):
            result = await driver.run(mix, rate, args.users, args.seconds, args.drain)
            results.setdefault((mix, rate), []).append(result)
            print(f"  [{label}] {mix} @ {rate:.0f}/s run {n + 1}/{runs}: "
                  f"sent {result.sent_per_s:.1f}/s, replies {result.replies_per_s:.1f}/s, "
                  f"p50 {fmt(result.p50_ms, 0)} ms, p99 {fmt(result.p99_ms, 0)} ms, "
                  f"unanswered {result.unanswered}, extra msgs {result.extra_bot_messages}, "
                  f"bot CPU {fmt(result.bot_cpu_cores, 2)} cores, "
                  f"bench CPU {fmt(result.bench_cpu_cores, 2)}, CPU ms/update bot "
                  f"{fmt(result.bot_cpu_ms_per_update, 2)} bench "
                  f"{fmt(result.bench_cpu_ms_per_update, 2)}, load {loadavg()}", flush=True)
            await asyncio.sleep(1.0)
    return results


async def main_async(args: argparse.Namespace) -> int:
    rates = [float(r) for r in args.rates.split(",") if r]
    mixed_rates = [float(r) for r in args.mixed_rates.split(",") if r]
    plan = [("qa", r) for r in rates] + [("mixed", r) for r in mixed_rates]
    counts = [int(n) for n in args.workers.split(",")]
    questions = load_questions()
    workdir = Path(tempfile.mkdtemp(prefix="desabot-load-"))
    data_dir = workdir / "data"
    data_dir.mkdir()
    print(f"load benchmark: db={args.db} users={args.users} seconds={args.seconds} "
          f"runs={args.runs} rates={rates} mixed={mixed_rates} processes={counts}; "
          f"{len(questions)} question texts")
    print("NOTE: emulator flood limits are DISABLED for this benchmark (FloodLimits(enabled="
          "False)): each simulated user gets one reply per message; Telegram's 30/s overall "
          "limit is not enforced by the emulator here.")
    print(f"work dir {workdir} (bot log: {data_dir / 'bot.log'}); load average {loadavg()}")
    print(f"NLU cache pre-warmed in {prewarm_nlu(data_dir):.1f} s", flush=True)

    bench_db = BenchDatabase(args.db, workdir)
    db = Database(bench_db.url)
    emu = Emulator(token=TOKEN, limits=FloodLimits(enabled=False))
    await emu.start()
    out: dict[str, Any] = {"benchmark": "load", "db": args.db,
                           "started": datetime.now(UTC).isoformat(timespec="seconds"),
                           "args": vars(args), "load_average_start": loadavg(),
                           "flood_limits": "disabled (FloodLimits(enabled=False))"}
    bot: BotProcess | Fleet | None = None
    code = 0
    try:
        seed_database(db, emu)
        base_user = emu.person("Baseline")
        out["baseline_before"] = await measure_baselines(emu, base_user.id)
        out["by_workers"] = {}
        for count in counts:  # side by side in the same run: e.g. one process, then four
            bot = (BotProcess(emu, data_dir, bench_db.url, {"TIP_DAILY_LIMIT": "100000"})
                   if count == 1 else
                   Fleet(emu, data_dir, bench_db.url, count, FLEET_ENV))
            out["by_workers"][count] = await measure(emu, db, bot, questions, plan, args)
            bot = None
        if args.echo:  # the library's ceiling on this machine, same driver, same run
            bot = BotProcess(emu, data_dir, bench_db.url, wrapper_args=["--echo"], name="echo")
            out["echo"] = await measure(emu, db, bot, questions, plan, args)
            bot = None
        first = out["by_workers"][counts[0]]
        out.update({k: first[k] for k in ("bot_start_s", "bot_peak_rss_kib", "bot_log",
                                          "bot_exit_code", "runs", "summary", "floor_met")})
        summary = [(s_["mix"], s_["rate"], s_) for s_ in first["summary"]]
        qa_ok = first["floor_met"]
        out["baseline_after"] = await measure_baselines(emu, base_user.id)

        if args.profile == "always" or (args.profile == "auto" and not qa_ok):
            out["profile"] = await profiled_run(emu, db, bench_db.url, data_dir, questions,
                                                args, rates[0], [])
        if args.diagnose:
            out["diagnostic_no_overall_limit"] = await diagnostic(
                emu, db, bench_db.url, data_dir, questions, args, rates)
        out["load_average_end"] = loadavg()
        print_report(out, summary)
        for count in counts[1:]:
            other = out["by_workers"][count]
            print_workers(out, count, other)
        if args.echo:
            print_workers(out, 0, out["echo"])
    except Exception:
        code = 1
        if bot is not None:
            print(f"bot log tail:\n{bot.log.read_text(errors='replace')[-3000:]}"
                  if bot.log.exists() else "no bot log")
        raise
    finally:
        if bot is not None:
            await bot.terminate()
        await emu.stop()
        db.dispose()
        bench_db.drop()
        path = Path(args.output) if args.output else RESULTS / f"load_{args.db}.json"
        write_json(path, out)
        print(f"\nwrote {path}")
    return code


async def measure(emu: Emulator, db: Database, bot: BotProcess | Fleet, questions: list[str],
                  plan: list[tuple[str, float]], args: argparse.Namespace) -> dict[str, Any]:
    """Start `bot` (one process or a fleet), warm it up, run the plan, stop it."""
    t = time.monotonic()
    await bot.start()
    started = round(time.monotonic() - t, 2)
    driver = LoadDriver(emu, db, bot, questions, args.seed)
    label = ("echo bot (ceiling)" if isinstance(bot, BotProcess) and bot.wrapper_args == ["--echo"]
             else "one process" if isinstance(bot, BotProcess) else f"{len(bot.bots)} processes")
    print(f"{label}: warm-up (not reported): mixed @ 50/s for 4 s", flush=True)
    await driver.run("mixed", 50, min(args.users, 100), 4, args.drain)
    # The emulator and the simulated villagers live in this process: a full collection
    # of their start-up objects would stall it and be counted as the bot's latency.
    gc.freeze()
    results = await run_series(driver, plan, args, args.runs, label)
    bot.sample()
    peak = bot.sample().get("VmHWM") or (bot.peaks[-1].get("VmHWM") if bot.peaks else None)
    problems = bot.log_problems()
    code = await bot.terminate()
    summary = [(mix, rate, summarise(rs)) for (mix, rate), rs in results.items()]
    return {"bot_start_s": started, "bot_peak_rss_kib": peak, "bot_log": problems,
            "bot_exit_code": code,
            "runs": [{"mix": m, "rate": r, "results": [asdict(x) for x in rs]}
                     for (m, r), rs in results.items()],
            "summary": [{"mix": m, "rate": r, **s} for m, r, s in summary],
            "floor_met": any(floor_met(m, r, s) for m, r, s in summary)}


async def profiled_run(emu: Emulator, db: Database, url: str, data_dir: Path,
                       questions: list[str], args: argparse.Namespace, rate: float,
                       extra: list[str]) -> dict[str, Any]:
    """One qa run with the bot under cProfile on all threads; returns the top functions."""
    prof = data_dir / f"bot{'-'.join(['', *[e.strip('-') for e in extra]])}.prof"
    bot = BotProcess(emu, data_dir, url, {"TIP_DAILY_LIMIT": "100000"},
                     wrapper_args=["--profile", str(prof), *extra])
    label = "profiled" + (" (no overall limit)" if extra else "")
    print(f"\n{label}: qa @ {rate:.0f}/s for {args.seconds} s, bot under cProfile "
          f"(all threads; slower than unprofiled)", flush=True)
    await bot.start()
    driver = LoadDriver(emu, db, bot, questions, args.seed + 7)
    result = await driver.run("qa", rate, args.users, args.seconds, args.drain,
                              profile_window=True)
    print(f"  [{label}] sent {result.sent_per_s:.1f}/s, replies {result.replies_per_s:.1f}/s, "
          f"p50 {fmt(result.p50_ms, 0)} ms, p99 {fmt(result.p99_ms, 0)} ms, "
          f"bot CPU {fmt(result.bot_cpu_cores, 2)} cores", flush=True)
    exit_code = await bot.terminate(timeout=90)
    tops = profile_tops(prof) if prof.exists() else {}
    return {"rate": rate, "result": asdict(result), "exit_code": exit_code,
            "profile_file": str(prof), "window_s": result.window_s, "top": tops}


async def diagnostic(emu: Emulator, db: Database, url: str, data_dir: Path,
                     questions: list[str], args: argparse.Namespace,
                     rates: list[float]) -> dict[str, Any]:
    """DIAGNOSTIC: the same qa runs with python-telegram-bot's overall 30/s cap removed."""
    print("\nDIAGNOSTIC (not the bot as shipped): AIORateLimiter overall limit removed "
          "via benchmarks/botproc.py --no-overall-limit", flush=True)
    bot = BotProcess(emu, data_dir, url, {"TIP_DAILY_LIMIT": "100000"},
                     wrapper_args=["--no-overall-limit"])
    await bot.start()
    driver = LoadDriver(emu, db, bot, questions, args.seed + 13)
    await driver.run("qa", 50, min(args.users, 100), 4, args.drain)  # warm-up
    results = await run_series(driver, [("qa", r) for r in rates], args, 1, "diagnostic")
    bot.sample()
    peak = bot.peaks[-1].get("VmHWM")
    await bot.terminate()
    out: dict[str, Any] = {
        "summary": [{"mix": m, "rate": r, **summarise(rs)} for (m, r), rs in results.items()],
        "bot_peak_rss_kib": peak}
    out["profile"] = await profiled_run(emu, db, url, data_dir, questions, args, rates[0],
                                        ["--no-overall-limit"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rates", default="200,300,400", help="qa target rates, updates/s")
    parser.add_argument("--mixed-rates", default="200", help="mixed-traffic target rates")
    parser.add_argument("--drain", type=float, default=15.0,
                        help="seconds to wait for replies after the load stops")
    parser.add_argument("--profile", choices=["auto", "always", "never"], default="auto",
                        help="profile one qa run (auto: when the floor is not met)")
    parser.add_argument("--diagnose", action="store_true",
                        help="also run qa with PTB's overall 30/s client limit removed "
                             "(diagnostic only)")
    parser.add_argument("--workers", default="1",
                        help="process counts measured one after the other in the same run, "
                             "e.g. 1,4: N > 1 identical webhook processes behind a proxy, "
                             "sharing PostgreSQL and Redis (needs --db postgres)")
    parser.add_argument("--echo", action="store_true",
                        help="also measure a bare python-telegram-bot echo bot (no database, "
                             "no NLU) with the same plan: the library's ceiling here")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    if any(int(n) > 1 for n in args.workers.split(",")) and args.db != "postgres":
        parser.error("--workers N > 1 needs --db postgres (several processes share it)")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
