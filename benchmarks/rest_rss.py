"""The bot process's memory at rest: RSS once started and answered one question.

Usage:
    .venv/bin/python benchmarks/rest_rss.py [--runs 3] [--db sqlite|postgres]

Starts `desabot run` (polling an in-process emulator) on a fresh database with a warm NLU
cache, asks one question, waits for the answer, then reads VmRSS and VmHWM (peak) from
/proc. Baseline in the same run: a bare `python -c "import telegram.ext"` process, the floor
any python-telegram-bot process pays. Medians of --runs. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchlib import BenchDatabase, BotProcess, prewarm_nlu, proc_status  # noqa: E402

from bot.emulator import Emulator  # noqa: E402

BARE = "import telegram.ext, sys, time; print(open('/proc/self/status').read())"


def bare_rss_mib() -> float:
    out = subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True,
                         check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


async def one_run(db_kind: str, data_dir: Path) -> tuple[float, float]:
    emu = Emulator()
    await emu.start()
    with tempfile.TemporaryDirectory() as tmp:
        bench = BenchDatabase(db_kind, Path(tmp))
        bot = BotProcess(emu, data_dir, bench.url)
        try:
            await bot.start()
            reply = await emu.person("Siti").ask("cara buat paspor", timeout=30)
            assert reply.text
            status = proc_status(bot.pid)
            return status["VmRSS"] / 1024, status["VmHWM"] / 1024
        finally:
            if bot.proc and bot.proc.returncode is None:
                bot.proc.terminate()
                await bot.proc.wait()
            bench.drop()
            await emu.stop()


async def main_async(args: argparse.Namespace) -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="desabot-rss-"))
    prewarm_nlu(data_dir)
    rest, peak, bare = [], [], []
    for _ in range(args.runs):
        rss, hwm = await one_run(args.db, data_dir)
        rest.append(rss)
        peak.append(hwm)
        bare.append(bare_rss_mib())
        print(f"at rest {rss:.0f} MiB, peak {hwm:.0f} MiB, bare telegram.ext {bare[-1]:.0f} MiB",
              flush=True)
    print(f"\nmedians of {args.runs} ({args.db}): at rest {statistics.median(rest):.0f} MiB, "
          f"peak {statistics.median(peak):.0f} MiB; baseline bare python-telegram-bot "
          f"{statistics.median(bare):.0f} MiB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
