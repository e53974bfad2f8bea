"""A Rasa server for the benchmarks: train, start in its own process group, wait, stop.

Kept apart from `nlu_compare.py` because starting Rasa 3.6 reliably (a free port, a timeout
that reads its log back to you, a process group killed even when the benchmark fails) is its
own piece of work.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
RASA_SCRIPT = ROOT / "scripts" / "rasa.sh"
RASA_MODEL = ROOT / os.environ.get("RASA_MODELS", "data/rasa-models") / "desabot-nlu.tar.gz"
SERVER_ROOT_TIMEOUT_S = 120.0
FIRST_PARSE_TIMEOUT_S = 60.0


class BenchmarkError(RuntimeError):
    """A step of the benchmark failed (Rasa would not train or start, etc.)."""


def _rasa_env(port: int) -> dict[str, str]:
    return {**os.environ, "RASA_PORT": str(port), "RASA_TELEMETRY_ENABLED": "false"}


def _tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def train_rasa(epochs: int, log_path: Path, port: int) -> float:
    """`scripts/rasa.sh train EPOCHS`, output to log_path; returns the wall time in seconds."""
    start = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        done = subprocess.run([str(RASA_SCRIPT), "train", str(epochs)], cwd=ROOT, check=False,
                              stdout=log, stderr=subprocess.STDOUT, env=_rasa_env(port))
    seconds = time.perf_counter() - start
    if done.returncode != 0 or not RASA_MODEL.is_file():
        raise BenchmarkError(f"rasa train failed (exit {done.returncode}); last lines of "
                             f"{log_path}:\n{_tail(log_path)}")
    return seconds


def port_in_use(port: int) -> bool:
    """Whether something already listens on 127.0.0.1:port."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def proc_status_kib(pid: int, field: str) -> int:
    """A `kB` field (VmHWM, VmRSS) of /proc/<pid>/status; 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@contextmanager
def rasa_server(port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`scripts/rasa.sh serve` in its own process group, always killed on exit."""
    if port_in_use(port):
        raise BenchmarkError(f"127.0.0.1:{port} is already in use; stop that server first")
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([str(RASA_SCRIPT), "serve"], cwd=ROOT, stdout=log,
                                stderr=subprocess.STDOUT, env=_rasa_env(port),
                                start_new_session=True)
        try:
            yield proc
        finally:
            stop_process_group(proc)


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, then SIGKILL it after 20 s."""
    for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_until_ready(proc: subprocess.Popen[bytes], url: str, started: float,
                     log_path: Path) -> dict[str, float]:
    """Poll GET / then POST /model/parse; seconds from launch to each first success."""
    figures: dict[str, float] = {}
    with httpx.Client(timeout=5.0) as client:
        deadline = started + SERVER_ROOT_TIMEOUT_S
        while "root_s" not in figures:
            if proc.poll() is not None:
                raise BenchmarkError(f"rasa serve exited with {proc.returncode}; last lines of "
                                     f"{log_path}:\n{_tail(log_path)}")
            if time.perf_counter() > deadline:
                raise BenchmarkError(f"rasa serve did not answer GET / within "
                                     f"{SERVER_ROOT_TIMEOUT_S:.0f} s; last lines of "
                                     f"{log_path}:\n{_tail(log_path)}")
            try:
                client.get(url + "/").raise_for_status()
                figures["root_s"] = time.perf_counter() - started
            except httpx.HTTPError:
                time.sleep(0.2)
        deadline = time.perf_counter() + FIRST_PARSE_TIMEOUT_S
        while "first_parse_s" not in figures:
            try:
                before = time.perf_counter()
                response = client.post(url + "/model/parse", json={"text": "halo"})
                response.raise_for_status()
                if "intent" in response.json():
                    figures["first_parse_s"] = time.perf_counter() - started
                    figures["first_parse_call_s"] = time.perf_counter() - before
            except (httpx.HTTPError, ValueError) as exc:
                if time.perf_counter() > deadline:
                    raise BenchmarkError(f"/model/parse still failing: {exc!r}") from exc
                time.sleep(0.2)
    return figures
