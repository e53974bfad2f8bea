"""Shared sending budget across processes: our Lua script against `limits` and `pyrate-limiter`.

Usage:
    PYTHONPATH=.:/path/to/libs .venv/bin/python benchmarks/send_budget.py
        [--processes 4] [--seconds 20] [--runs 3] [--impl lua,limits-moving,limits-sliding,pyrate]

N processes (spawned) share one budget of 29 messages a second in Redis
($DESABOT_BENCH_REDIS_URL, default redis://127.0.0.1:6379/0) and each takes messages from it
as fast as it allows, the way every bot process's delivery worker does during one broadcast.
Each grant's wall-clock time is recorded; the figures, per implementation, are medians over
--runs: the combined rate (first to last grant) as a share of 29/s, the most grants in any one
second, the 429s the emulator's model of Telegram's limits (bot/emulator/limits.py: 30/s with a
burst of 30) would answer to those times, the longest gap between two grants (a stall
holds the whole broadcast back) and Redis calls per grant.
`limits` and `pyrate-limiter` are not project dependencies: install them into a scratch
folder (`uv pip install --target DIR limits==5.8.0 pyrate-limiter==4.5.1`) and put it on
PYTHONPATH; an implementation that cannot be imported is skipped. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.emulator.limits import FloodLimits  # noqa: E402

RATE = 29
REDIS = os.environ.get("DESABOT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
IMPLS = ("lua", "limits-moving", "limits-sliding", "pyrate")


async def _taker(impl: str, key: str) -> tuple[Callable[[int], Awaitable[None]], list[int]]:
    """A coroutine that returns once one message may go, and a one-item list counting calls."""
    calls = [0]
    if impl == "lua":
        from bot.faces.telegram.send_budget import RedisBudget

        budget = RedisBudget(REDIS, key)

        async def take(chat: int) -> None:
            while (wait := await budget.try_take(chat, False)) > 0:
                calls[0] += 1
                await asyncio.sleep(min(wait, 1.0))
            calls[0] += 1
        return take, calls
    if impl.startswith("limits"):
        from limits import RateLimitItemPerSecond
        from limits.aio import storage, strategies

        store = storage.RedisStorage(REDIS.replace("redis://", "async+redis://"),
                                     implementation="redispy")
        cls = (strategies.MovingWindowRateLimiter if impl == "limits-moving"
               else strategies.SlidingWindowCounterRateLimiter)
        limiter, item = cls(store), RateLimitItemPerSecond(RATE)

        async def take(chat: int) -> None:
            while True:
                calls[0] += 1
                if await limiter.hit(item, key):
                    return
                calls[0] += 1
                reset, _ = await limiter.get_window_stats(item, key)
                await asyncio.sleep(min(max(reset - time.time(), 0.001), 1.0))
        return take, calls
    from pyrate_limiter import Duration, Limiter, Rate, RedisBucket
    from redis.asyncio import Redis

    bucket = await RedisBucket.init([Rate(RATE, Duration.SECOND)], Redis.from_url(REDIS), key)
    limiter = Limiter(bucket)

    async def take(chat: int) -> None:
        calls[0] += 1  # at least one; its own retries are not counted
        await limiter.try_acquire_async(key, blocking=True)
    return take, calls


def _worker(impl: str, key: str, ready: Any, seconds: float, out: multiprocessing.Queue,
            index: int) -> None:
    async def run() -> tuple[list[float], int]:
        take, calls = await _taker(impl, key)
        await asyncio.to_thread(ready.wait)  # every process imported and connected
        start = time.time()
        grants, chat = [], index * 10_000_000
        while time.time() < start + seconds:
            chat += 1
            await take(chat)
            grants.append(time.time())
        return grants, calls[0]
    out.put(asyncio.run(run()))


def one_run(impl: str, processes: int, seconds: float) -> dict[str, float]:
    """One run: `processes` processes share the budget for `seconds`."""
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    key = f"bench-{impl}-{uuid.uuid4().hex}"
    ready = ctx.Barrier(processes)
    procs = [ctx.Process(target=_worker, args=(impl, key, ready, seconds, out, i))
             for i in range(processes)]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    for proc in procs:
        proc.join()
    grants = sorted(t for times, _ in results for t in times)
    calls = sum(c for _, c in results)
    window, j = 0, 0
    for i, t in enumerate(grants):
        while grants[j] <= t - 1.0:
            j += 1
        window = max(window, i - j + 1)
    gaps = [b - a for a, b in itertools.pairwise(grants)]
    clock = [0.0]
    limits = FloodLimits(clock=lambda: clock[0])  # the emulator's model of Telegram's limits
    for chat, at in enumerate(grants):
        clock[0] = at
        limits.check(chat, is_group=False)
    return {"share": (len(grants) - 1) / (grants[-1] - grants[0]) / RATE,
            "max_per_second": window, "emulator_429s": limits.hits,
            "longest_gap_s": max(gaps),
            "calls_per_grant": calls / len(grants)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--impl", default=",".join(IMPLS))
    args = parser.parse_args()
    print(f"{args.processes} processes share {RATE}/s for {args.seconds:.0f} s, "
          f"{args.runs} runs each; load average {os.getloadavg()}")
    for impl in args.impl.split(","):
        try:
            runs = [one_run(impl, args.processes, args.seconds) for _ in range(args.runs)]
        except ImportError as exc:
            print(f"{impl:15} skipped ({exc})")
            continue
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        gaps = ", ".join(f"{r['longest_gap_s']:.2f}" for r in runs)
        print(f"{impl:15} share of {RATE}/s {med['share'] * 100:5.1f}%  "
              f"max in 1 s {med['max_per_second']:3.0f} "
              f"({', '.join(str(r['max_per_second']) for r in runs)})  "
              f"429s (emulator's limits) {med['emulator_429s']:.0f}  "
              f"longest gap {med['longest_gap_s']:.2f} s "
              f"({gaps})  "
              f"Redis calls/grant {med['calls_per_grant']:.1f}", flush=True)
    print(f"load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
