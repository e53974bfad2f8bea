"""Several identical `desabot run --webhook` processes behind a round-robin proxy, for benchmarks.

The deployment of the README's "Several processes": N processes sharing one token, one
PostgreSQL database and Redis ($DESABOT_BENCH_REDIS_URL, default redis://127.0.0.1:6379/0),
each on its own loopback port, with the emulator delivering webhooks to the proxy
(tests/auxil/proxy.py, standing in for nginx). `Fleet` offers what the benchmarks use of one
`BotProcess` (start, terminate, sample, peaks, cpu_seconds, log_problems), summed over the
processes, plus `kill_one` for a SIGKILL mid-run.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from benchlib import ROOT, BotProcess

from bot.emulator import Emulator

REDIS_URL = os.environ.get("DESABOT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "bench-fleet-secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Fleet:
    """`count` webhook processes behind one proxy; needs PostgreSQL and Redis."""

    def __init__(self, emu: Emulator, data_dir: Path, database_url: str, count: int,
                 extra_env: dict[str, str] | None = None) -> None:
        import sys

        sys.path.insert(0, str(ROOT))
        from tests.auxil.proxy import RoundRobinProxy

        self.emu = emu
        ports = [_free_port() for _ in range(count)]
        self.proxy = RoundRobinProxy([f"http://127.0.0.1:{port}" for port in ports])
        self._env = {"REDIS_URL": REDIS_URL, "WEBHOOK_SECRET_TOKEN": SECRET,
                     **(extra_env or {})}
        self.bots = [BotProcess(emu, data_dir, database_url, webhook=True, name=f"bot-{i}",
                                extra_env={**self._env, "WEBHOOK_PORT": str(port)})
                     for i, port in enumerate(ports)]
        self.log = data_dir / "bot-0.log"

    @property
    def peaks(self) -> list[dict[str, int]]:
        """VmHWM readings of every process started, in order."""
        return [peak for bot in self.bots for peak in bot.peaks]

    @property
    def pid(self) -> int | None:
        """The first running process (for a profiler signal; use one process to profile)."""
        return next((bot.pid for bot in self.bots if bot.pid), None)

    async def start(self) -> None:
        """Start the proxy and every process; the webhook points at the proxy."""
        if not self.proxy.port:
            await self.proxy.start()
        for bot in self.bots:
            bot.env["WEBHOOK_URL"] = f"{self.proxy.url}/telegram"
            if bot.pid is None:
                await bot.start()
        await self.emu.wait_for(lambda: self.emu.queue.webhook, timeout=60)

    async def kill_one(self, index: int) -> None:
        """SIGKILL process `index` (a power cut), then start it again as systemd would."""
        await self.bots[index].kill()
        await self.bots[index].start()

    def sample(self) -> dict[str, int]:
        """VmHWM/VmRSS summed over the running processes."""
        total: dict[str, int] = {}
        for bot in self.bots:
            for key, value in bot.sample().items():
                total[key] = total.get(key, 0) + value
        return total

    def cpu_seconds(self) -> float | None:
        """CPU seconds of all running processes."""
        values = [bot.cpu_seconds() for bot in self.bots]
        return sum(v for v in values if v is not None) if any(values) else None

    def log_problems(self) -> dict[str, Any]:
        """ERROR lines and tracebacks over all the processes' logs."""
        found = [bot.log_problems() for bot in self.bots]
        return {"errors": sum(f["errors"] for f in found),
                "tracebacks": sum(f["tracebacks"] for f in found),
                "last": [line for f in found for line in f["last"]][-5:]}

    async def terminate(self) -> int | None:
        """SIGTERM every process; the worst exit code (0 when all were clean)."""
        codes = [await bot.terminate() for bot in self.bots]
        if self.proxy.port:
            await self.proxy.stop()
            self.proxy.port = 0
        return max((c for c in codes if c is not None), default=None, key=abs)
