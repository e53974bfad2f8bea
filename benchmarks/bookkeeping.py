"""The delivery worker's database bookkeeping per send, at 10,000 to 1,000,000 recipients.

Usage:
    .venv/bin/python benchmarks/bookkeeping.py [--db sqlite|postgres] [--sizes 10000,100000,1000000]
        [--sends 200] [--runs 3]

For each size, one broadcast with that many deliveries is stored in bulk (no Telegram, no
emulator: this measures only what the worker asks the database for each message). Then
`--sends` deliveries go through what the worker does around one send, timed per send:
claim (in batches of 20, as the worker does), `start_sending`, `mark(..., "sent")` and
`finish_if_done` (the progress, now read from the broadcast's counters). Baseline in the same
run and database: the old per-send recount of all of the broadcast's deliveries (the
`count(*) ... GROUP BY status` query the worker ran after every send before the counters),
timed the same number of times. Medians of `--runs`. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchlib import BenchDatabase  # noqa: E402
from sqlalchemy import case, func, insert, select, text  # noqa: E402

from bot.core.storage.models import Broadcast, Delivery, Office, Village  # noqa: E402
from bot.core.storage.session import Database  # noqa: E402
from bot.domain.programme import broadcasts  # noqa: E402


def seed(db: Database, size: int) -> int:
    """One village, one broadcast with `size` pending deliveries; returns its id."""
    with db.session() as session:
        office = Office(code="b", name="Bench", is_default=True)
        session.add(office)
        session.flush()
        village = Village(code=f"v{size}", name="Bench", district="d", regency="r",
                          province="p", timezone="Asia/Jakarta", office_id=office.id)
        session.add(village)
        session.flush()
        broadcast = Broadcast(village_id=village.id, kind="text", content='{"text": "x"}',
                              status="sending", total=size)
        session.add(broadcast)
        session.flush()
        broadcast_id = broadcast.id
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text(
                "INSERT INTO deliveries (broadcast_id, chat_id, is_group, status, attempts, "
                "next_attempt_at, error) SELECT :b, g, false, 'pending', 0, now() - interval "
                "'1 minute', '' FROM generate_series(1, :n) AS g"), {"b": broadcast_id, "n": size})
        else:
            step = 50_000
            for start in range(0, size, step):
                conn.execute(insert(Delivery), [
                    {"broadcast_id": broadcast_id, "chat_id": chat, "is_group": False,
                     "status": "pending", "attempts": 0, "error": ""}
                    for chat in range(start + 1, min(size, start + step) + 1)])
    return broadcast_id


def old_recount(db: Database, broadcast_id: int) -> None:
    """What the worker ran after every send before the counters (the baseline)."""
    with db.session() as session:
        session.execute(select(
            func.count(Delivery.id),
            func.sum(case((Delivery.status == "sent", 1), else_=0)),
            func.sum(case((Delivery.status.in_(["failed", "blocked", "unknown"]), 1), else_=0)),
        ).where(Delivery.broadcast_id == broadcast_id)).one()


def measure(db: Database, broadcast_id: int, sends: int) -> tuple[float, float]:
    """(ms per send now, ms per old recount): medians over `sends`."""
    now_ms: list[float] = []
    jobs: list[broadcasts.Job] = []
    while len(now_ms) < sends:
        started = time.perf_counter()
        if not jobs:
            jobs = broadcasts.next_jobs(db, 20)
        job = jobs.pop(0)
        broadcasts.start_sending(db, job)
        broadcasts.mark(db, job.id, "sent")
        broadcasts.finish_if_done(db, broadcast_id)
        now_ms.append((time.perf_counter() - started) * 1000)
    old_ms = []
    for _ in range(min(sends, 50)):
        started = time.perf_counter()
        old_recount(db, broadcast_id)
        old_ms.append((time.perf_counter() - started) * 1000)
    return statistics.median(now_ms), statistics.median(old_ms)


def measure_grouped(db: Database, sends: int) -> float:
    """ms per send as the delivery worker does it now: claims of 100, `sending` marked per
    group of 5 (`start_sending_many`), outcomes written per 64 (`record`); total / sends."""
    done = 0
    started = time.perf_counter()
    outcomes: list[broadcasts.Outcome] = []
    while done < sends:
        jobs = broadcasts.next_jobs(db, 100)
        for start in range(0, len(jobs), 5):
            wave = broadcasts.start_sending_many(db, jobs[start:start + 5])
            outcomes.extend(broadcasts.Outcome(job.id, "sent") for job in wave)
            done += len(wave)
            if len(outcomes) >= 64:
                broadcasts.record(db, outcomes)
                outcomes = []
    broadcasts.record(db, outcomes)
    return (time.perf_counter() - started) * 1000 / done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--sends", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        now_runs, old_runs, grouped = [], [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                bench = BenchDatabase(args.db, Path(tmp))
                db = Database(bench.url)
                try:
                    broadcast_id = seed(db, size)
                    with db.engine.begin() as conn:
                        if db.engine.dialect.name == "postgresql":
                            conn.execute(text("ANALYZE deliveries"))
                    now_ms, old_ms = measure(db, broadcast_id, args.sends)
                    grouped.append(measure_grouped(db, args.sends))
                finally:
                    db.dispose()
                    bench.drop()
            now_runs.append(now_ms)
            old_runs.append(old_ms)
        rows.append((size, statistics.median(now_runs), statistics.median(old_runs),
                     statistics.median(grouped)))
        print(f"{size:>9} recipients: {rows[-1][1]:.2f} ms per send one by one, "
              f"{rows[-1][3]:.3f} ms grouped (old recount alone: {rows[-1][2]:.2f} ms)",
              flush=True)
    print(f"\nper-send bookkeeping on {args.db}, medians of {args.runs} runs x {args.sends} sends")
    print(f"{'recipients':>10} {'one by one':>11} {'grouped':>8} {'old recount ms':>15}")
    for size, now_ms, old_ms, grouped_ms in rows:
        print(f"{size:>10} {now_ms:>11.2f} {grouped_ms:>8.3f} {old_ms:>15.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
