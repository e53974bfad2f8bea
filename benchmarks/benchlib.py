"""Shared helpers for the load and broadcast benchmarks (not a test; asserts nothing).

- `BotProcess`: `desabot run` as a subprocess against an in-process emulator, as in
  tests/auxil/process.py, optionally wrapped by benchmarks/botproc.py (profiler, diagnostics).
- `BenchDatabase`: a fresh SQLite file or a fresh PostgreSQL database `desabot_bench_<hex>`,
  migrated with `bot.core.storage.migrate.upgrade`, dropped at the end.
- `prewarm_nlu`: trains (or loads) the embedded NLU once into the shared cache directory.
- `emulator_baseline`: the emulator's own round-trip rate for a trivial loop, from a client in
  a subprocess (httpx, as python-telegram-bot uses), so the bot's figures read as ratios.
- `proc_status`: VmHWM / VmRSS of a process from /proc/<pid>/status.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `bot` is importable

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.core.storage.migrate import upgrade  # noqa: E402
from bot.emulator import Emulator  # noqa: E402

TOKEN = "123456:BENCH-token"
RESULTS = ROOT / "benchmarks" / "results"
PG_ADMIN_URL = os.environ.get("DESABOT_BENCH_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
WRAPPER = ROOT / "benchmarks" / "botproc.py"


# -- numbers ---------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float | None]) -> float | None:
    """Median of the values that exist."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def fmt(value: float | None, digits: int = 1) -> str:
    """A number for a table cell ('-' when missing)."""
    if value is None:
        return "-"
    return f"{value:.{digits}f}"


def loadavg() -> list[float]:
    """The 1, 5 and 15 minute load averages."""
    return [round(x, 2) for x in os.getloadavg()]


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (bot workers; Rasa's own children), from /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(sorted(parents.get(current, [])))
    return tree


def proc_status(pid: int | None) -> dict[str, int]:
    """VmHWM and VmRSS in KiB, summed over the process and its children (empty when gone).

    With worker processes the sum of their peaks is an upper bound of the peak of the sum.
    "processes" says how many were counted; "VmHWM_max" is the largest single process.
    """
    if pid is None:
        return {}
    out: dict[str, int] = {}
    for member in process_tree(pid):
        try:
            lines = Path(f"/proc/{member}/status").read_text().splitlines()
        except OSError:
            if member == pid:
                return {}
            continue
        out["processes"] = out.get("processes", 0) + 1
        for line in lines:
            key, _, value = line.partition(":")
            if key in {"VmHWM", "VmRSS"}:
                out[key] = out.get(key, 0) + int(value.split()[0])
                if key == "VmHWM":
                    out["VmHWM_max"] = max(out.get("VmHWM_max", 0), int(value.split()[0]))
    return out


def process_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds so far of a process and its children (/proc/<pid>/stat)."""
    if pid is None:
        return None
    total = 0.0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            if member == pid:
                return None
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# -- databases -------------------------------------------------------------------------------
class BenchDatabase:
    """A fresh, migrated database for one benchmark run; `drop()` removes it."""

    def __init__(self, kind: str, workdir: Path) -> None:
        self.kind = kind
        self.name: str | None = None
        if kind == "sqlite":
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        elif kind == "postgres":
            admin = make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg")
            self.name = f"desabot_bench_{uuid.uuid4().hex[:10]}"
            self._admin = create_engine(admin.set(database="postgres"),
                                        isolation_level="AUTOCOMMIT")
            with self._admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
            self.url = admin.set(database=self.name).render_as_string(hide_password=False)
        else:
            raise ValueError(f"unknown database kind {kind!r}")
        upgrade(self.url)

    def drop(self) -> None:
        """Drop the PostgreSQL database (the SQLite file goes with the temp directory)."""
        if self.name:
            with self._admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self._admin.dispose()
            self.name = None


# -- the NLU cache ---------------------------------------------------------------------------
PREWARM = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from bot.core.paths import nlu_dir
from nlu.embedded import load_or_train
from nlu.training import load_dir
t = time.monotonic()
load_or_train(load_dir(nlu_dir() / "data"), Path(sys.argv[1]))
print(f"{time.monotonic() - t:.1f}")
"""


def prewarm_nlu(data_dir: Path) -> float:
    """Train or load the embedded NLU once into data_dir/nlu-cache (as the bot will find it)."""
    out = subprocess.run([sys.executable, "-c", PREWARM, str(data_dir / "nlu-cache"), str(ROOT)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


# -- the bot as a subprocess -----------------------------------------------------------------
class BotProcess:
    """`desabot run` against the emulator (see tests/auxil/process.py).

    `wrapper_args` runs it through benchmarks/botproc.py instead (profiling, diagnostics).
    """

    def __init__(self, emu: Emulator, data_dir: Path, database_url: str,
                 extra_env: dict[str, str] | None = None,
                 wrapper_args: list[str] | None = None, webhook: bool = False,
                 name: str = "bot") -> None:
        self.emu = emu
        self.args = ["run", "--webhook"] if webhook else ["run"]
        self.env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_API_BASE_URL": emu.base_url, "DATABASE_URL": database_url,
                    "DESABOT_DATA_DIR": str(data_dir),
                    "LOG_LEVEL": os.environ.get("BENCH_BOT_LOG_LEVEL", "WARNING"),
                    "PTB_TIMEDELTA": "1", "WEB_ENABLED": "0", **(extra_env or {})}
        self.wrapper_args = wrapper_args
        self.proc: asyncio.subprocess.Process | None = None
        self.log = data_dir / f"{name}.log"
        self.peaks: list[dict[str, int]] = []  # VmHWM of every process started, last read

    @property
    def pid(self) -> int | None:
        """The running process id (None before start or after exit)."""
        if self.proc is None or self.proc.returncode is not None:
            return None
        return self.proc.pid

    async def start(self, timeout: float = 180) -> None:
        """Start and wait until the bot registered its commands (it is then polling)."""
        self.emu.world.commands = []
        if self.wrapper_args is not None:
            cmd = [sys.executable, str(WRAPPER), *self.wrapper_args, "--", *self.args]
        else:
            cmd = [sys.executable, "-m", "bot.main", *self.args]
        with self.log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                *cmd, env=self.env, stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL,
                cwd=ROOT)
        self.peaks.append({})
        # Polled: the emulator's setMyCommands does not notify `world.changed`, so
        # `emu.wait_for` (as in tests/auxil/process.py) only returns at its timeout.
        deadline = time.monotonic() + timeout
        while not (self.emu.world.commands or self._died()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot did not start in {timeout} s")
            await asyncio.sleep(0.05)
        if self._died():
            raise RuntimeError(f"the bot exited: {self.log.read_text()[-3000:]}")

    def _died(self) -> bool:
        return self.proc is not None and self.proc.returncode is not None

    def cpu_seconds(self) -> float | None:
        """CPU seconds used so far by the running process."""
        return process_cpu_seconds(self.pid)

    def sample(self) -> dict[str, int]:
        """Read VmHWM/VmRSS now and remember the last reading of this process."""
        status = proc_status(self.pid)
        if status and self.peaks:
            self.peaks[-1] = status
        return status

    async def kill(self) -> None:
        """SIGKILL: no clean-up at all, like a power cut."""
        assert self.proc
        self.sample()
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def terminate(self, timeout: float = 60) -> int | None:
        """SIGTERM and wait for a clean exit (SIGKILL after `timeout`); returns the code."""
        if self.proc is None or self.proc.returncode is not None:
            return self.proc.returncode if self.proc else None
        self.sample()
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()
            return None

    def log_problems(self) -> dict[str, Any]:
        """ERROR/Traceback lines in the bot's log (a misbehaving bot shows here)."""
        if not self.log.exists():
            return {"errors": 0, "tracebacks": 0, "last": []}
        lines = self.log.read_text(errors="replace").splitlines()
        errors = [line for line in lines if " ERROR " in line or "CRITICAL" in line]
        return {"errors": len(errors),
                "tracebacks": sum("Traceback (most recent call last)" in line for line in lines),
                "last": errors[-5:]}


# -- the emulator's own speed ----------------------------------------------------------------
BASELINE_CLIENT = r"""
import asyncio, json, sys, time
import httpx

async def main(url, method, payload, seconds, concurrency):
    lat = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        for _ in range(20):  # warm the connection(s)
            await client.post(url + method, json=payload)
        end = time.monotonic() + seconds
        async def worker():
            while time.monotonic() < end:
                t = time.perf_counter()
                r = await client.post(url + method, json=payload)
                r.raise_for_status()
                lat.append(time.perf_counter() - t)
        t0 = time.monotonic()
        await asyncio.gather(*[worker() for _ in range(concurrency)])
        elapsed = time.monotonic() - t0
    lat.sort()
    print(json.dumps({"requests": len(lat), "seconds": elapsed, "rps": len(lat) / elapsed,
                      "p50_ms": lat[len(lat) // 2] * 1000,
                      "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000}))

asyncio.run(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4]),
                 int(sys.argv[5])))
"""


async def emulator_baseline(emu: Emulator, method: str = "getMe",
                            payload: dict[str, Any] | None = None, seconds: float = 3.0,
                            concurrency: int = 1) -> dict[str, Any]:
    """Round trips per second of a trivial loop against the emulator, from a subprocess.

    The emulator runs in this process's event loop, so this coroutine must be awaited (the
    loop serves the client meanwhile). Returns requests/s and latency p50/p99.
    """
    url = f"{emu.base_url}/bot{TOKEN}/"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BASELINE_CLIENT, url, method, json.dumps(payload or {}),
        str(seconds), str(concurrency), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"baseline client failed: {err.decode()[-2000:]}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result.update(method=method, concurrency=concurrency)
    return result


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write results (creating benchmarks/results/)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
