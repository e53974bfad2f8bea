"""CPU per update of the per-update bookkeeping: the claim batch and the closing batch.

Usage:
    .venv/bin/python benchmarks/claims_cpu.py [WORKTREE ...]

For each worktree given (default: this one), in turn, on a fresh PostgreSQL database
($DESABOT_BENCH_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres):
400 batches of 1-30 updates (seeded), each claimed with its person's state read
(`UpdateClaims._run`) and then closed (the state saved, the update marked answered), as the
bot does under load. Printed: this process's CPU time per update (time.process_time, so a busy
machine inflates it less than wall time). Run it in a subprocess per worktree, alternating, to
compare two versions in the same run. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE = os.environ.get("DESABOT_BENCH_POSTGRES_URL",
                      "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def measure(root: str) -> float:
    """CPU ms per update of the bookkeeping of the code under `root` (already on sys.path)."""
    from sqlalchemy import create_engine, text

    from bot.core.storage.migrate import upgrade
    from bot.core.storage.session import Database
    from bot.domain.messaging import conversation_state, update_claims

    name = "desabot_claims_" + uuid.uuid4().hex[:8]
    admin = create_engine(BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = BASE.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url)
        db = Database(url)
        claims = update_claims.UpdateClaims(db, 1)
        rng = random.Random(1)
        next_id, count = 0, 0
        started = time.process_time()
        for _ in range(200):
            ids = list(range(next_id, next_id + rng.randint(1, 30)))
            next_id += len(ids)
            claims._run([(i, 1000 + i % 300) for i in ids])
            states = [(1000 + i % 300, f'{{"last": {i}}}') for i in ids]
            if hasattr(claims, "_close"):  # one transaction for both
                claims._close([(i, person, state) for i, (person, state) in zip(ids, states,
                                                                                 strict=True)])
            else:  # before: the states' save and the answered marks apart
                conversation_state.save_many(db, states)
                claims._mark_answered(ids)
            count += len(ids)
        spent = (time.process_time() - started) * 1000 / count
        db.dispose()
        return spent
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        sys.path.insert(0, sys.argv[2])
        print(f"{measure(sys.argv[2]):.3f}")
        return 0
    roots = sys.argv[1:] or [str(Path(__file__).resolve().parents[1])]
    for root in roots:
        out = subprocess.run([sys.executable, __file__, "--one", root], cwd=root, check=True,
                             capture_output=True, text=True, env={**os.environ,
                                                                  "PYTHONPATH": root})
        print(f"{root}: {out.stdout.strip()} ms CPU per update", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
