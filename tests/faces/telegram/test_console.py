"""The local console: `desabot run` without a token, typed at as a person would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_console_welcome_menu_button_and_quit(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(DESABOT_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/c.sqlite3",
               LOG_LEVEL="WARNING")
    typed = "/start\n:tekan 1\nhalo\n:sebagai petugas\n:orang\n:keluar\n"
    done = subprocess.run([sys.executable, "-m", "bot.main", "run"], input=typed, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    out = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    assert "@BotFather" in out and ":keluar" in out  # the banner: real bot, and how to quit
    assert "Halo! Saya asisten Desa Binaan" in out
    assert "[1] " in out and "Sumber:" in out  # pressing menu button 1 gave a sourced answer
    assert "Anda adalah Petugas Imigrasi (petugas)" in out
    assert "Traceback" not in done.stderr


def _console(tmp_path: Path, typed: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(DESABOT_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/c.sqlite3",
               LOG_LEVEL="WARNING")
    done = subprocess.run([sys.executable, "-m", "bot.main", "run"], input=typed, env=env,
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    return done.stdout


def test_every_role_works_from_the_first_minute_and_after_a_restart(tmp_path: Path) -> None:
    """An empty database gets the demo: petugas is an officer, kades an official at once;
    a second `make run` on the same data still answers (its update ids start at 1 again)."""
    out = _console(tmp_path, ":sebagai petugas\n/laporan\n:sebagai kades\n/statistik\n"
                             ":keluar\n")
    assert "Data demo ditambahkan" in out
    assert "Tidak ada laporan terbuka" in out  # an officer's command, not a refusal
    assert "Hasil Sukamaju (DEMO)" in out  # the official's village
    again = _console(tmp_path, "/start\n:keluar\n")
    assert "Data demo ditambahkan" not in again  # seeded once, never over existing data
    assert "Halo! Saya asisten Desa Binaan" in again
