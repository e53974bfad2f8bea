"""The bot process's memory at rest: RSS once started and answered one question.

Usage:
    .venv/bin/python benchmarks/rest_rss.py [--runs 3] [--db sqlite|postgres|both]
        [--web on|off|both] [--modules]

Starts `desabot run` (polling an in-process emulator) on a fresh database with a warm NLU
cache, asks one question, waits for the answer, then reads VmRSS and VmHWM (peak) from
/proc. `--web on` is the default configuration (WEB_ENABLED=1, the dashboard listening on a
free port); `--web off` sets WEB_ENABLED=0. Baseline in the same run: a bare
`python -c "import telegram.ext"` process, the floor any python-telegram-bot process pays.
Medians of --runs per (database, dashboard) pair, runs interleaved; the load average is
printed with each summary. `--modules` runs the bot through botproc.py and prints the
top-level packages it holds at rest (SIGUSR1 after the answer; that run's RSS includes the
wrapper's few imports). Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchlib import BenchDatabase, BotProcess, loadavg, prewarm_nlu, proc_status  # noqa: E402

from bot.emulator import Emulator  # noqa: E402

BARE = "import telegram.ext, sys, time; print(open('/proc/self/status').read())"


def bare_rss_mib() -> float:
    out = subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True,
                         check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def free_port() -> int:
    """A port nobody listens on now, for the dashboard (8080 may be taken by another run)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def web_env(web: bool) -> dict[str, str]:
    """The dashboard on (the default configuration) on a free port, or off."""
    return {"WEB_ENABLED": "1", "WEB_PORT": str(free_port())} if web else {"WEB_ENABLED": "0"}


async def dump_modules(bot: BotProcess, out: Path) -> list[str]:
    """Ask botproc.py (--modules) for the top-level packages loaded now, by SIGUSR1."""
    assert bot.pid is not None
    os.kill(bot.pid, signal.SIGUSR1)
    deadline = time.monotonic() + 10
    while not out.exists() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return out.read_text().split() if out.exists() else []


async def one_run(db_kind: str, web: bool, data_dir: Path,
                  modules: bool) -> tuple[float, float, list[str]]:
    emu = Emulator()
    await emu.start()
    with tempfile.TemporaryDirectory() as tmp:
        bench = BenchDatabase(db_kind, Path(tmp))
        out = Path(tmp) / "modules.txt"
        wrapper = ["--modules", str(out)] if modules else None
        bot = BotProcess(emu, data_dir, bench.url, extra_env=web_env(web), wrapper_args=wrapper)
        try:
            await bot.start()
            reply = await emu.person("Siti").ask("cara buat paspor", timeout=30)
            assert reply.text
            status = proc_status(bot.pid)
            loaded = await dump_modules(bot, out) if modules else []
            return status["VmRSS"] / 1024, status["VmHWM"] / 1024, loaded
        finally:
            if bot.proc and bot.proc.returncode is None:
                bot.proc.terminate()
                await bot.proc.wait()
            bench.drop()
            await emu.stop()


def label(db_kind: str, web: bool) -> str:
    return f"{db_kind}, dashboard {'on' if web else 'off'}"


async def main_async(args: argparse.Namespace) -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="desabot-rss-"))
    prewarm_nlu(data_dir)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    webs = [True, False] if args.web == "both" else [args.web == "on"]
    pairs = [(db, web) for db in dbs for web in webs]
    rest: dict[tuple[str, bool], list[float]] = {pair: [] for pair in pairs}
    peak: dict[tuple[str, bool], list[float]] = {pair: [] for pair in pairs}
    bare: list[float] = []
    loads: list[float] = []
    for _ in range(args.runs):
        for db_kind, web in pairs:  # interleaved: a busy minute does not hit one pair only
            rss, hwm, loaded = await one_run(db_kind, web, data_dir, args.modules)
            rest[db_kind, web].append(rss)
            peak[db_kind, web].append(hwm)
            loads.append(loadavg()[0])
            print(f"{label(db_kind, web)}: at rest {rss:.1f} MiB, peak {hwm:.0f} MiB, "
                  f"load {loads[-1]:.2f}", flush=True)
            if loaded:
                print("  loaded at rest: " + " ".join(loaded), flush=True)
        bare.append(bare_rss_mib())
    print(f"\nmedians of {args.runs} (load average {min(loads):.2f}-{max(loads):.2f}); "
          f"baseline bare python-telegram-bot {statistics.median(bare):.0f} MiB")
    for pair in pairs:
        rss = statistics.median(rest[pair])
        print(f"  {label(*pair):28} at rest {rss:.1f} MiB ({rss * 1.048576:.0f} MB), "
              f"peak {statistics.median(peak[pair]):.0f} MiB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--web", choices=["on", "off", "both"], default="both",
                        help="the dashboard (WEB_ENABLED): on is the default configuration")
    parser.add_argument("--modules", action="store_true",
                        help="run through botproc.py and list the packages loaded at rest")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
