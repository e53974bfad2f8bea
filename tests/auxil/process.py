"""The bot as a separate process, so tests can kill it (SIGKILL, SIGTERM) and start it again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.emulator import Emulator
from tests.auxil.harness import TOKEN

# Seconds a bot process may take to start: about 5 on a quiet machine, over 60 measured while
# five other sessions' suites shared the two cores (load average 15).
START_TIMEOUT = 180
# The pytest timeout of a test that starts bot processes (pyproject's 120 s is per test).
SLOW = 900


class BotProcess:
    """`desabot run` against the test's emulator, with its own SQLite file."""

    def __init__(self, emu: Emulator, data_dir: Path, database_url: str,
                 webhook: bool = False, extra_env: dict[str, str] | None = None,
                 name: str = "bot") -> None:
        self.emu = emu
        self.args = ["run", "--webhook"] if webhook else ["run"]
        self.env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN,
                    "TELEGRAM_API_BASE_URL": emu.base_url, "DATABASE_URL": database_url,
                    "DESABOT_DATA_DIR": str(data_dir),
                    "LOG_LEVEL": os.environ.get("TEST_BOT_LOG_LEVEL", "WARNING"),
                    "PTB_TIMEDELTA": "1",
                    "WEB_ENABLED": "0",  # several test bots at once: no port to share
                    "GAZETTEER_WARMUP": "0",  # 2 s of CPU in each bot process otherwise
                    **(extra_env or {})}
        self.proc: asyncio.subprocess.Process | None = None
        self.log = data_dir / f"{name}.log"

    async def start(self) -> None:
        """Start and wait until the bot registered its commands (it is then polling)."""
        self.emu.world.commands = []
        with self.log.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.main", *self.args, env=self.env, stdout=log, stderr=log,
                stdin=asyncio.subprocess.DEVNULL)
        await self.emu.wait_for(lambda: self.emu.world.commands or self._died(),
                                timeout=START_TIMEOUT)
        if self._died():
            raise RuntimeError(f"the bot exited: {self.log.read_text()[-2000:]}")

    def _died(self) -> bool:
        return self.proc is not None and self.proc.returncode is not None

    async def kill(self) -> None:
        """SIGKILL: no clean-up at all, like a power cut."""
        assert self.proc
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def terminate(self, timeout: float = 20) -> int:
        """SIGTERM and wait for a clean exit; returns the exit code."""
        assert self.proc
        self.proc.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), timeout)
