"""A national campaign: one lesson to every village of 34 regional bots, sent by all at once.

Usage:
    .venv/bin/python benchmarks/national_campaign.py [--tokens 34] [--per-token 10000]
        [--processes 1] [--db postgres|sqlite] [--kind lesson|quiz]

The emulator runs in this process and serves --tokens bot tokens, each with Telegram's own
flood limits (FloodLimits(): 30 messages/s per token, ~1/s per private chat with a burst of
5, answered with 429 + retry_after). The bot runs as `desabot run` (long polling) in
--processes subprocesses, each serving every token (TELEGRAM_BOT_TOKEN is the first, and
BOT_TOKENS names the others); with more than one process they share REDIS_URL, as in
production. Each token gets one office (its `bot_key`) with one village and --per-token
subscribed private chats, users of that token's emulator. Then `send_national` stores the
campaign (one broadcast per village) and the bots' delivery workers pick it up.

Measured from the emulator (listeners on every token's sends; the transcript is not kept):
- total time from the campaign command (`send_national`, storing included: the first
  villages' messages go while the last are stored) to the last message, against the limit
  for one token, per_token / 30 s (the floor: within 10 %), and first-to-last send;
- each token's own rate (first to last send of that token), min / median / max;
- 429s answered by the emulator over all tokens; duplicates (a chat with two messages) and
  losses (a chat with none); peak RSS of the bot processes; the load average.

A full run (34 x 10,000) takes at least 333 s at the limit and more on a busy machine; run it
with `nice`. Results go to benchmarks/results/national_campaign_<tokens>x<per_token>.json.
A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import signal
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchlib import (  # noqa: E402
    RESULTS,
    BenchDatabase,
    BotProcess,
    loadavg,
    prewarm_nlu,
    process_cpu_seconds,
    write_json,
)
from sqlalchemy import func, insert, select  # noqa: E402

from bot.core.storage.models import Delivery, Office, Subscription, Village  # noqa: E402
from bot.core.storage.session import Database  # noqa: E402
from bot.domain.programme.library import Library  # noqa: E402
from bot.domain.programme.national import content_for, send_national  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.emulator.world import Event  # noqa: E402

TELEGRAM_RATE = 30.0
REDIS_URL = "redis://127.0.0.1:6379/0"


def token_of(n: int) -> tuple[str, str]:
    """The key and token of regional bot n (bot ids 810000001...)."""
    return f"r{n:02d}", f"{810000001 + n}:BENCH-national-{n:02d}"


def make_emulator(tokens: int) -> tuple[Emulator, dict[str, Emulator]]:
    """One emulator serving every token; returns it and each bot's emulator by key."""
    first_key, first_token = token_of(0)
    server = Emulator(token=first_token, bot_username=f"desa_{first_key}_bot")
    bots = {first_key: server}
    for n in range(1, tokens):
        key, token = token_of(n)
        bots[key] = server.add_bot(token, f"desa_{key}_bot")
    for emu in bots.values():
        emu.world.keep = False  # 340,000 messages: counted by listeners, not kept
    return server, bots


def seed(db: Database, bots: dict[str, Emulator], per_token: int) -> dict[str, set[int]]:
    """An office and a village per bot, and `per_token` subscribers; returns chats per bot."""
    chats: dict[str, set[int]] = {}
    with db.session() as session:
        for n, (key, emu) in enumerate(bots.items()):
            office = Office(code=f"of-{key}", name=f"Kantor {key}", kind="imigrasi",
                            is_default=n == 0, bot_key=None if n == 0 else key)
            session.add(office)
            session.flush()
            village = Village(code=f"99.{n:02d}.01.2001", name=f"Desa {key}",
                              office_id=office.id, timezone="Asia/Jakarta")
            session.add(village)
            session.flush()
            people = [emu.person(f"Warga {i}").id for i in range(per_token)]
            chats[key] = set(people)
            for start in range(0, len(people), 5000):
                session.execute(insert(Subscription), [
                    {"chat_id": c, "village_id": village.id, "active": True}
                    for c in people[start:start + 5000]])
    return chats


def pending(db: Database) -> int:
    """Deliveries not final yet."""
    with db.session() as session:
        return session.scalar(select(func.count(Delivery.id)).where(
            Delivery.status.in_(("pending", "claimed", "sending")))) or 0


def statuses(db: Database) -> dict[str, int]:
    """Deliveries by status."""
    with db.session() as session:
        return dict(session.execute(select(Delivery.status, func.count()).group_by(
            Delivery.status)).all())


def signal_all(procs: list[BotProcess], sig: signal.Signals | None) -> None:
    """Start (SIGUSR1) or stop (SIGUSR2) benchmarks/botproc.py's profiler in every process."""
    for proc in procs:
        if sig is not None and proc.pid:
            os.kill(proc.pid, sig)


async def start_bots(procs: list[BotProcess], bots: dict[str, Emulator]) -> None:
    """Start the processes; ready when every token registered its commands."""
    for proc in procs:
        await proc.start(timeout=600)  # a loaded shared machine: content check, NLU, 34 bots
    deadline = time.monotonic() + 180
    while not all(emu.world.commands for emu in bots.values()):
        if time.monotonic() > deadline:
            raise TimeoutError("not every bot registered its commands in 180 s")
        await asyncio.sleep(0.1)


async def main_async(args: argparse.Namespace) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="desabot-national-"))
    data_dir = workdir / "data"
    data_dir.mkdir()
    total = args.tokens * args.per_token
    limit_s = args.per_token / TELEGRAM_RATE
    print(f"national campaign: {args.tokens} tokens x {args.per_token} subscribers = {total} "
          f"chats; {args.processes} bot process(es), db={args.db}; Telegram's limit for one "
          f"token: {args.per_token}/30 = {limit_s:.1f} s; load {loadavg()}")
    print(f"work dir {workdir}; NLU pre-warmed in {prewarm_nlu(data_dir):.1f} s", flush=True)
    bench_db = BenchDatabase(args.db, workdir)
    db = Database(bench_db.url)
    server, bots = make_emulator(args.tokens)
    await server.start()
    env = {"TELEGRAM_BOT_TOKEN": token_of(0)[1],
           "BOT_TOKENS": ",".join(f"{k}={t}" for k, t in map(token_of, range(1, args.tokens)))}
    if args.processes > 1:
        env["REDIS_URL"] = REDIS_URL
    procs = []
    for n in range(args.processes):
        proc_dir = data_dir if n == 0 else workdir / f"data{n}"
        if n:
            proc_dir.mkdir()
            (proc_dir / "nlu-cache").symlink_to(data_dir / "nlu-cache")
        profile = ["--profile", str(Path(args.profile).with_suffix(f".{n}.prof"))] \
            if args.profile else None
        procs.append(BotProcess(server, proc_dir, bench_db.url, env, wrapper_args=profile))
    out: dict[str, Any] = {"benchmark": "national_campaign", "args": vars(args),
                           "started": datetime.now(UTC).isoformat(timespec="seconds"),
                           "load_average_start": loadavg(), "flood_limits": "Telegram's"}
    try:
        t = time.monotonic()
        chats = seed(db, bots, args.per_token)
        out["seed_s"] = round(time.monotonic() - t, 1)
        await start_bots(procs, bots)
        got: dict[str, collections.Counter[int]] = {k: collections.Counter() for k in bots}
        times: dict[str, list[float]] = {k: [] for k in bots}
        wrong_bot = 0
        method = "sendPoll" if args.kind == "quiz" else "sendMessage"

        def listener(key: str):
            def on_event(event: Event) -> None:
                nonlocal wrong_bot
                if event.direction != "out" or event.method != method:
                    return
                if event.chat_id not in chats[key]:
                    wrong_bot += 1
                    return
                got[key][event.chat_id] += 1
                times[key].append(event.at)
            return on_event

        for key, emu in bots.items():
            emu.world.listeners.append(listener(key))
        hits0 = sum(emu.limits.hits for emu in bots.values())
        library = Library.load(ROOT / "content" / "id")
        item = sorted(library.lessons)[0] if args.kind == "lesson" else sorted(library.questions)[0]
        kind, content = content_for(library, item if args.kind == "lesson" else None,
                                    item if args.kind == "quiz" else None)
        cpu0 = [process_cpu_seconds(p.pid) or 0.0 for p in procs], time.process_time()
        signal_all(procs, signal.SIGUSR1 if args.profile else None)  # profile the sending
        t_create = time.monotonic()
        campaign = await asyncio.to_thread(send_national, db, kind, content)
        stored_s = time.monotonic() - t_create
        print(f"campaign stored: {len(campaign.broadcasts)} broadcasts, {campaign.recipients} "
              f"deliveries in {stored_s:.1f} s", flush=True)
        deadline = time.monotonic() + limit_s * 6 + 300
        last_print = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            sent = sum(len(v) for v in times.values())
            for proc in procs:
                proc.sample()
            if time.monotonic() - last_print >= 15:
                last_print = time.monotonic()
                hits = sum(emu.limits.hits for emu in bots.values()) - hits0
                print(f"  t={time.monotonic() - t_create:6.1f} s  sent {sent:>7}/{total}  "
                      f"429s {hits}  load {loadavg()}", flush=True)
            if sent >= total or (sent >= total * 0.99 and not await asyncio.to_thread(
                    pending, db)):
                break
        bot_cpu = sum((process_cpu_seconds(p.pid) or 0.0) - c for p, c in zip(procs, cpu0[0],
                                                                                   strict=True))
        emu_cpu = time.process_time() - cpu0[1]
        signal_all(procs, signal.SIGUSR2 if args.profile else None)
        await asyncio.sleep(2.0)
        out.update(report(args, bots, got, times, chats, t_create, hits0, wrong_bot))
        out["stored_s"] = round(stored_s, 2)
        seen = max(1, out["messages_seen"])
        out["bot_cpu_ms_per_message"] = round(bot_cpu * 1000 / seen, 2)
        out["emulator_and_driver_cpu_ms_per_message"] = round(emu_cpu * 1000 / seen, 2)
        out["delivery_statuses"] = await asyncio.to_thread(statuses, db)
        out["bot_peak_rss_kib"] = [p.sample().get("VmHWM") for p in procs]
        out["bot_log"] = [p.log_problems() for p in procs]
        out["load_average_end"] = loadavg()
        print_report(out)
    finally:
        for proc in procs:
            await proc.terminate()
        await server.stop()
        db.dispose()
        bench_db.drop()
        path = Path(args.output) if args.output else \
            RESULTS / f"national_campaign_{args.tokens}x{args.per_token}.json"
        write_json(path, out)
        print(f"\nwrote {path}")
    return 0


def report(args: argparse.Namespace, bots: dict[str, Emulator],
           got: dict[str, collections.Counter[int]], times: dict[str, list[float]],
           chats: dict[str, set[int]], t_create: float, hits0: int,
           wrong_bot: int) -> dict[str, Any]:
    """The figures: total time against the limit, per-token rates, 429s, duplicates, losses."""
    every = sorted(t for ts in times.values() for t in ts)
    rates = [(len(ts) - 1) / (ts[-1] - ts[0]) for ts in times.values() if len(ts) > 1]
    limit_s = args.per_token / TELEGRAM_RATE
    total_s = every[-1] - t_create if every else None
    return {
        "recipients": sum(len(c) for c in chats.values()),
        "messages_seen": len(every),
        "limit_s": round(limit_s, 1),
        "total_s_from_command": round(total_s, 1) if total_s else None,
        "first_to_last_s": round(every[-1] - every[0], 1) if len(every) > 1 else None,
        "total_vs_limit": round(total_s / limit_s, 3) if total_s else None,
        "per_token_rate_min_median_max": [round(min(rates), 2), round(statistics.median(rates), 2),
                                          round(max(rates), 2)] if rates else None,
        "overall_rate_per_s": round((len(every) - 1) / (every[-1] - every[0]), 1)
        if len(every) > 1 else None,
        "http_429_total": sum(emu.limits.hits for emu in bots.values()) - hits0,
        "duplicates": sum(1 for c in got.values() for n in c.values() if n > 1),
        "losses": sum(len(chats[k] - set(got[k])) for k in bots),
        "sent_by_the_wrong_bot": wrong_bot,
    }


def print_report(o: dict[str, Any]) -> None:
    a = o["args"]
    print(f"\nNational campaign: {a['tokens']} tokens x {a['per_token']} = {o['recipients']} "
          f"chats, {a['processes']} process(es), db={a['db']}")
    print(f"  total time (campaign command -> last message): {o['total_s_from_command']} s; limit "
          f"{o['limit_s']} s; ratio {o['total_vs_limit']} (floor: <= 1.10)")
    print(f"  first to last send: {o['first_to_last_s']} s; overall {o['overall_rate_per_s']}/s; "
          f"per token min/median/max {o['per_token_rate_min_median_max']}/s")
    print(f"  429s: {o['http_429_total']}; duplicates {o['duplicates']}; losses {o['losses']}; "
          f"sent by the wrong bot {o['sent_by_the_wrong_bot']}")
    per_message = o["bot_cpu_ms_per_message"] + o["emulator_and_driver_cpu_ms_per_message"]
    print(f"  CPU per message: bot {o['bot_cpu_ms_per_message']} ms, emulator (and this "
          f"driver) {o['emulator_and_driver_cpu_ms_per_message']} ms; at the limit "
          f"({a['tokens']} x 30/s) that is {per_message * a['tokens'] * 30 / 1000:.1f} cores")
    print(f"  deliveries: {o['delivery_statuses']}; bot peak RSS (KiB): {o['bot_peak_rss_kib']}")
    print(f"  load average start {o['load_average_start']} end {o['load_average_end']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=34)
    parser.add_argument("--per-token", type=int, default=10000)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--kind", choices=["lesson", "quiz"], default="lesson")
    parser.add_argument("--output", default=None)
    parser.add_argument("--profile", default=None,
                        help="cProfile the bot processes while they send (PATH.<n>.prof)")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
