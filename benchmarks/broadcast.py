"""One quiz broadcast to a big village under Telegram's flood limits, optionally with a crash.

Usage:
    .venv/bin/python benchmarks/broadcast.py [--subscribers 10000] [--groups 200] [--kill]
        [--db sqlite|postgres] [--seed N]

The emulator runs in this process WITH Telegram's flood limits (the default FloodLimits(): 30
messages/s overall, 20/min per group, ~1/s per private chat with a burst of 5, answered with
429 + retry_after). The bot runs as `desabot run` in a subprocess on a fresh SQLite file (or
a fresh PostgreSQL database `desabot_bench_<hex>`, dropped at the end). One village gets
--subscribers subscribed private chats (emulator users; Subscription rows inserted in bulk)
and --groups linked groups (emulator groups the bot was added to; LinkedGroup rows). Then one
quiz broadcast is stored with `broadcasts.create(...)`; the bot's delivery worker polls the
deliveries table at least every second, so nothing else is needed to start it.

Measured from the emulator's transcript (Event.at of every sendPoll):
- achieved send rate between the first and the last poll, and as a share of 30/s: the
  broadcast's polls only, AND every message the token sent in that span (polls, replies to
  chatting villagers, progress reports...: Telegram's 30/s is per token, so with chatter the
  polls alone cannot reach it), with the busiest one-second window;
- where the token's sends fell short of 30/s: the pacer's margin, the ramp-up (first 10 s),
  the tail (last 10 s), the seconds after a 429, the rest ("steady");
- 429s answered by the emulator (`emu.limits.hits`) during the broadcast, and after the first
  10 s ("once warmed up");
- duplicates (a chat with more than one poll) and losses (a chat with none);
- time from `broadcasts.create` to the last delivery; peak RSS (VmHWM) of the bot process(es).

--chatter RATE: while the broadcast runs, 100 other villagers ask questions at RATE messages/s
(as in benchmarks/load.py: each waits for its reply) for --chatter-seconds, starting 10 s in;
their reply latency shows whether interactive answers share the 30/s budget with the broadcast.

--kill: SIGKILL the bot when a random share (20-80%) of the chats has its poll, start it again
and report duplicates and losses again. By design a delivery that was in flight at the crash is
marked "unknown" and never re-sent (at most one chat per crash may go without its quiz); such
chats are counted apart from true losses. --kill-in-flight kills instead at the moment the
chosen poll request reaches the emulator (before its answer leaves), so that delivery is in
flight: it must end as "unknown" (delivered once, never re-sent).

A full run at 30/s takes about 6 minutes. The figures are printed and written to
benchmarks/results/broadcast_<db>[_kill|_kill_in_flight|_chatter].json. A benchmark, not a
test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import os
import random
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import benchlib  # noqa: E402
from benchlib import (  # noqa: E402
    RESULTS,
    BenchDatabase,
    BotProcess,
    emulator_baseline,
    loadavg,
    prewarm_nlu,
    write_json,
)
from broadcast_report import RunFigures, loop_lag, print_report, results  # noqa: E402
from fleet import Fleet  # noqa: E402
from hit_log import HitLog  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bot.core.storage.models import Delivery, LinkedGroup, QuizPoll, Subscription, Village  # noqa: E402
from bot.core.storage.session import Database  # noqa: E402
from bot.domain.people import roles  # noqa: E402
from bot.domain.programme import broadcasts  # noqa: E402
from bot.domain.programme.library import Library  # noqa: E402
from bot.domain.programme.village_import import import_villages  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.emulator.world import Event  # noqa: E402

VILLAGES_CSV = ROOT / "tests" / "fixtures" / "villages_fictional.csv"
VILLAGE_CODE = "52.01.01.2001"


def seed(db: Database, emu: Emulator, subscribers: int) -> tuple[int, list[int]]:
    """Offices, villages and `subscribers` subscribed private chats; returns (village, chats)."""
    roles.add_office(db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(db, VILLAGES_CSV)
    with db.session() as session:
        village = session.scalar(select(Village.id).where(Village.code == VILLAGE_CODE))
    people = [emu.person(f"Warga {i}").id for i in range(subscribers)]
    with db.session() as session:
        for start in range(0, len(people), 2000):
            session.execute(insert(Subscription), [
                {"chat_id": chat, "village_id": village, "active": True}
                for chat in people[start:start + 2000]])
    return village, people


async def add_groups(db: Database, emu: Emulator, village: int, count: int) -> list[int]:
    """`count` groups the bot was added to by the village head, linked to the village."""
    head = emu.person("Kepala Desa")
    groups = []
    for i in range(count):
        group = emu.world.add_group(f"Grup RT {i + 1:03d}")
        await emu.add_bot_to_group(head.user, group)
        groups.append(group.id)
    with db.session() as session:
        if groups:
            session.execute(insert(LinkedGroup), [
                {"chat_id": g, "village_id": village, "linked_by": head.id, "active": True}
                for g in groups])
    return groups


def statuses(db: Database, broadcast_id: int) -> dict[str, int]:
    """Deliveries of the broadcast by status."""
    with db.session() as session:
        rows = session.execute(select(Delivery.status, func.count(Delivery.id))
                               .where(Delivery.broadcast_id == broadcast_id)
                               .group_by(Delivery.status)).all()
    return {status: count for status, count in rows}


def chats_with_status(db: Database, broadcast_id: int, status: str) -> list[int]:
    with db.session() as session:
        return list(session.scalars(select(Delivery.chat_id).where(
            Delivery.broadcast_id == broadcast_id, Delivery.status == status)))


def quiz_polls(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(QuizPoll.id))) or 0


async def main_async(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="desabot-broadcast-"))
    data_dir = workdir / "data"
    data_dir.mkdir()
    if args.nlu_cache:  # trained by an earlier run: loaded, not trained again (a minute of CPU)
        Path(args.nlu_cache).mkdir(parents=True, exist_ok=True)
        (data_dir / "nlu-cache").symlink_to(Path(args.nlu_cache).resolve())
    total = args.subscribers + args.groups
    print(f"broadcast benchmark: db={args.db} subscribers={args.subscribers} "
          f"groups={args.groups} kill={args.kill}; emulator flood limits ENABLED (Telegram's: "
          f"30/s overall, 20/min per group, 1/s per chat, burst 5)")
    print(f"work dir {workdir} (bot log: {data_dir / 'bot.log'}); load average {loadavg()}")
    print(f"NLU cache pre-warmed in {prewarm_nlu(data_dir):.1f} s", flush=True)
    bench_db = BenchDatabase(args.db, workdir)
    db = Database(bench_db.url)
    # A token of this run's own: the sending budget in Redis is kept per token, so two runs
    # (or a run and another benchmark) with one token would share, and halve, one budget.
    benchlib.TOKEN = f"{random.SystemRandom().randrange(10**8, 10**9)}:BENCH-broadcast"
    emu = Emulator(token=benchlib.TOKEN)
    await emu.start()
    bot: BotProcess | Fleet
    if args.workers > 1:
        bot = Fleet(emu, data_dir, bench_db.url, args.workers,
                    {"DELIVERY_LEASE_SECONDS": str(args.lease)})
    else:
        bot = BotProcess(emu, data_dir, bench_db.url)
    out: dict[str, Any] = {"benchmark": "broadcast", "db": args.db, "args": vars(args),
                           "started": datetime.now(UTC).isoformat(timespec="seconds"),
                           "load_average_start": loadavg(), "flood_limits": "Telegram's"}
    code = 0
    try:
        t = time.monotonic()
        village, people = seed(db, emu, args.subscribers)
        groups = await add_groups(db, emu, village, args.groups)
        out["seed_s"] = round(time.monotonic() - t, 1)
        out["baseline_getMe_c1"] = await emulator_baseline(emu, "getMe", concurrency=1)
        await bot.start()
        # The bot first handles the 2 x groups membership updates (it replies to none).
        deadline = time.monotonic() + 120
        while emu.queue.pending and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.0)
        # The seeded world (100,000 emulator users) would be rescanned by every full
        # collection in this process: a stall of the emulator's loop turns evenly paced sends
        # into one burst at "Telegram", a 429 no budget can prevent (as in load.py).
        gc.collect()
        gc.freeze()
        pre_out = sum(1 for e in emu.world.transcript if e.direction == "out")
        out["bot_messages_before_broadcast"] = pre_out

        library = Library.load(ROOT / "content" / "id")
        qid = rng.choice(sorted(library.questions))
        recipients = set(people) | set(groups)
        polls: collections.Counter[int] = collections.Counter()
        strangers: collections.Counter[int] = collections.Counter()
        times: list[float] = []
        other_out: list[Event] = []

        in_flight_kill: dict[str, Any] = {}

        def on_event(event: Event) -> None:
            if event.direction == "out" and event.method == "sendPoll" \
                    and event.chat_id not in recipients:
                strangers[event.chat_id] += 1  # e.g. a chatting villager's own quiz
                other_out.append(event)  # the token sent it: it counts against its 30/s
            elif event.direction == "out" and event.method == "sendPoll":
                polls[event.chat_id] += 1
                times.append(event.at)
                if (args.kill_in_flight and kill_at is not None and not in_flight_kill
                        and len(times) >= kill_at and bot.pid):
                    # The request reached "Telegram" but its answer has not left yet: the
                    # bot dies with this delivery marked "sending".
                    bot.sample()
                    in_flight_kill.update(chat=event.chat_id, polls=len(times))
                    os.kill(bot.pid, signal.SIGKILL)
            elif event.direction == "out":
                other_out.append(event)

        emu.world.listeners.append(on_event)
        lags: list[float] = []  # how late this process's loop (the emulator's) ran
        stalls: list[float] = []  # when it had been stalled for more than 200 ms
        lag_task = asyncio.create_task(loop_lag(lags, late=stalls))
        hits0 = emu.limits.hits
        hit_log = HitLog(recipients)  # 429s by kind: broadcast, reply, carried reply
        hit_log.watch(emu)
        hit_times = hit_log.hit_times  # when the emulator answered 429
        hit_samples: list[tuple[float, int]] = []
        kill_at = int(total * rng.uniform(0.2, 0.8)) if args.kill or args.kill_in_flight \
            else None
        kill_info: dict[str, Any] = {}
        chatter_task = None
        if args.chatter:
            from load_driver import LoadDriver
            from load_users import load_questions

            driver = LoadDriver(emu, db, bot, load_questions(), args.seed)

            async def chatter() -> Any:
                await asyncio.sleep(10)
                return await driver.run("qa", args.chatter, 100, args.chatter_seconds, 30)

            chatter_task = asyncio.create_task(chatter())
        t_create = time.monotonic()
        broadcast_id = await asyncio.to_thread(broadcasts.create, db, village, "quiz",
                                               {"question": qid}, None)
        print(f"broadcast {broadcast_id} stored ({total} deliveries, question {qid}) in "
              f"{time.monotonic() - t_create:.2f} s" +
              (f"; will SIGKILL the bot after {kill_at} polls" if kill_at else ""), flush=True)
        limit = time.monotonic() + total / 29.0 * 2 + 180
        last_print = last_db = time.monotonic()
        finished = None
        while time.monotonic() < limit:
            await asyncio.sleep(0.25)
            now = time.monotonic()
            hit_samples.append((now, emu.limits.hits))
            bot.sample()
            if kill_at is not None and not kill_info and len(times) >= kill_at:
                kill_info = {"at_s": round(now - t_create, 2), "polls_before": len(times),
                             "pid": bot.pid, "vm_hwm_kib": bot.sample().get("VmHWM"),
                             "in_flight": dict(in_flight_kill) or None}
                n_before = len(times)
                if isinstance(bot, Fleet):  # one of the processes; the others carry on
                    victim = rng.randrange(args.workers)
                    kill_info["process"] = victim
                    t_restart = time.monotonic()
                    await bot.kill_one(victim)
                else:
                    await bot.kill()
                    t_restart = time.monotonic()
                    await bot.start()
                print(f"  SIGKILL after {n_before} polls at t={now - t_create:.1f} s",
                      flush=True)
                kill_info["restart_s"] = round(time.monotonic() - t_restart, 2)
                while len(times) == n_before and time.monotonic() < limit:
                    await asyncio.sleep(0.05)
                kill_info["first_poll_after_restart_s"] = round(
                    (times[n_before] if len(times) > n_before else time.monotonic()) - now, 2)
                kill_info["polls_within_50ms_of_first_after_restart"] = len(times) - n_before
                print(f"  restarted in {kill_info['restart_s']} s; next poll "
                      f"{kill_info['first_poll_after_restart_s']} s after the kill", flush=True)
            if now - last_print >= 15:
                last_print = now
                rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
                print(f"  t={now - t_create:6.1f} s  polls {len(times):>6}/{total}  "
                      f"{rate:5.1f}/s  429s {emu.limits.hits - hits0}  "
                      f"bot RSS {bot.sample().get('VmRSS', 0) / 1024:.0f} MiB  "
                      f"load {loadavg()}", flush=True)
            if now - last_db >= 1.0 and len(times) >= total * 0.9:
                last_db = now
                counts = await asyncio.to_thread(statuses, db, broadcast_id)
                if not any(counts.get(s) for s in ("pending", "claimed", "sending")):
                    finished = now
                    break
        timed_out = finished is None
        if chatter_task is not None:
            chat = await chatter_task
            out["chatter"] = {k: getattr(chat, k) for k in (
                "target_rate", "seconds", "sent_per_s", "replies_per_s", "p50_ms", "p90_ms",
                "p99_ms", "max_ms", "unanswered", "answered")}
        await asyncio.sleep(2.0)  # anything still in flight lands in the transcript
        lag_task.cancel()
        emu.world.listeners.remove(on_event)
        bot.sample()
        out["bot_log"] = bot.log_problems()
        out["bot_exit_code"] = await bot.terminate()
        counts = await asyncio.to_thread(statuses, db, broadcast_id)
        unknown = set(await asyncio.to_thread(chats_with_status, db, broadcast_id, "unknown"))
        stored_polls = await asyncio.to_thread(quiz_polls, db)

        out.update(results(RunFigures(
            question=qid, recipients=recipients, polls=polls, strangers=strangers,
            times=times, other_out=other_out, t_create=t_create, hits0=hits0,
            hits=emu.limits.hits, hits_by=dict(emu.limits.hits_by), hit_times=hit_times,
            hit_samples=hit_samples, lags=lags, stalls=stalls, statuses=counts,
            unknown=unknown, quiz_polls_rows=stored_polls, timed_out=timed_out,
            kill=kill_info, peak_rss_kib=[p.get("VmHWM") for p in bot.peaks])))
        out["http_429_by_kind"] = hit_log.report(stalls)
        print_report(out)
    except Exception:
        code = 1
        print(f"bot log tail:\n{bot.log.read_text(errors='replace')[-3000:]}"
              if bot.log.exists() else "no bot log")
        raise
    finally:
        await bot.terminate()
        await emu.stop()
        db.dispose()
        bench_db.drop()
        name = (f"broadcast_{args.db}{f'_workers{args.workers}' if args.workers > 1 else ''}"
                f"{'_kill' if args.kill else ''}"
                f"{'_kill_in_flight' if args.kill_in_flight else ''}"
                f"{'_chatter' if args.chatter else ''}.json")
        path = Path(args.output) if args.output else RESULTS / name
        write_json(path, out)
        print(f"\nwrote {path}")
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--kill", action="store_true",
                        help="SIGKILL the bot at a random point (20-80%%) and restart it")
    parser.add_argument("--kill-in-flight", action="store_true",
                        help="like --kill, but at the moment a poll request reaches the "
                             "emulator (before its answer), so one delivery is in flight")
    parser.add_argument("--chatter", type=float, default=0.0,
                        help="questions/s from other villagers during the broadcast")
    parser.add_argument("--chatter-seconds", type=float, default=60.0)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1,
                        help="identical webhook processes behind a proxy, sharing PostgreSQL "
                             "and Redis (needs --db postgres)")
    parser.add_argument("--lease", type=float, default=30.0,
                        help="DELIVERY_LEASE_SECONDS with --workers > 1")
    parser.add_argument("--seed", type=int, default=None, help="random seed (kill point)")
    parser.add_argument("--output", default=None)
    parser.add_argument("--nlu-cache", default=None,
                        help="a directory to keep the trained NLU in between runs")
    args = parser.parse_args()
    if (args.kill or args.kill_in_flight) and args.chatter and args.workers == 1:
        parser.error("--chatter and --kill are measured separately with one process")
    if args.workers > 1 and (args.db != "postgres" or args.kill_in_flight):
        parser.error("--workers > 1 needs --db postgres (and no --kill-in-flight)")
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 30)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
