"""A newcomer's first `make run`: fresh clone, install included, until the bot answers.

Usage:
    python3 benchmarks/first_run.py [--runs 3] [--source PATH_OR_URL] [--keep]

Each run clones --source (default: this repository's committed HEAD) into a new directory and
runs `make run` there as the README says, with no token (the local console). Timed from the
start of `make run`:
- `install`: until the console's first banner line (the venv is built and synced from uv.lock,
  the catalogs compiled, the program started);
- `ready`: until the bot's answer to "halo", typed as soon as the banner shows (content
  checked, migrations applied, demo data seeded, the NLU trained on a fresh clone);
The clone itself (`git clone`, a second or less) is timed apart.
Two cache states per run, side by side: `cold` with an empty uv cache (UV_CACHE_DIR in a new
directory: every wheel downloaded), then `warm` in another fresh clone reusing that cache (what
a second checkout on the same machine costs). The dashboard listens on a free port so that
other processes on 8080 do not interfere. Medians of --runs; prints `uptime` before and after,
since the figures depend on the machine's load and the network; and the CPU seconds (user +
system) of `make run` and everything it started, until it quit right after the answer, which
a busy machine inflates far less than the wall time. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BANNER = "Desa Binaan - "  # the console's first line (Indonesian and English alike)
ANSWER = "> Bot -> "


def free_port() -> int:
    """A loopback port nobody listens on, for the dashboard."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clone(source: str, into: Path) -> float:
    """Clone the repository; seconds it took."""
    started = time.monotonic()
    subprocess.run(["git", "clone", "--quiet", source, str(into)], check=True)
    return time.monotonic() - started


def children_cpu() -> float:
    """CPU seconds of every finished process this one has waited for (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_make_run(checkout: Path, cache: Path, timeout: float) -> tuple[float, float, str]:
    """(install, ready) seconds of `make run` in `checkout`, and the output's last lines."""
    env = {**os.environ, "UV_CACHE_DIR": str(cache), "WEB_PORT": str(free_port())}
    for name in ("VIRTUAL_ENV", "TELEGRAM_BOT_TOKEN", "DATABASE_URL", "DESABOT_DATA_DIR"):
        env.pop(name, None)
    started = time.monotonic()
    proc = subprocess.Popen(["make", "run"], cwd=checkout, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
    install = ready = float("nan")
    lines: list[str] = []
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    pending = b""
    try:
        while time.monotonic() - started < timeout and ready != ready:  # ready is NaN
            if not selector.select(timeout=1):
                continue
            # Raw reads: a buffered readline() leaves lines in Python's buffer that select()
            # never reports, so an answer printed at once with other lines went unseen.
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            *complete, pending = (pending + chunk).split(b"\n")
            for raw in complete:
                line = raw.decode(errors="replace")
                lines.append(line.rstrip())
                if BANNER in line and install != install:
                    install = time.monotonic() - started
                    proc.stdin.write(b"halo\n")
                elif line.startswith(ANSWER) and ready != ready:
                    ready = time.monotonic() - started
        proc.stdin.write(b":quit\n")
        proc.wait(timeout=30)
    except (BrokenPipeError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()
    return install, ready, "\n".join(lines[-5:])


def uptime() -> str:
    """The load average, to read the figures by."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", default=str(ROOT))
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the clones and caches")
    args = parser.parse_args()
    print(f"source {args.source}; {uptime()}", flush=True)
    figures: dict[str, list[tuple[float, float, float, float]]] = {"cold": [], "warm": []}
    for run in range(1, args.runs + 1):
        work = Path(tempfile.mkdtemp(prefix="desabot-first-run-"))
        cache = work / "uv-cache"
        for state in ("cold", "warm"):
            checkout = work / state
            cloned = clone(args.source, checkout)
            cpu = children_cpu()
            install, ready, tail = time_make_run(checkout, cache, args.timeout)
            cpu = children_cpu() - cpu
            figures[state].append((cloned, install, ready, cpu))
            print(f"run {run} {state}: clone {cloned:.1f} s, make run: banner after "
                  f"{install:.1f} s, first answer after {ready:.1f} s, {cpu:.1f} CPU s",
                  flush=True)
            if ready != ready:
                print(f"  no answer; last output:\n{tail}", flush=True)
        if not args.keep:
            subprocess.run(["rm", "-rf", str(work)], check=False)
    for state, rows in figures.items():
        columns = zip(*rows, strict=True)
        clone_s, install_s, ready_s, cpu_s = (statistics.median(c) for c in columns)
        print(f"median of {args.runs} ({state} uv cache): clone {clone_s:.1f} s; make run "
              f"until the banner {install_s:.1f} s, until the first answer {ready_s:.1f} s; "
              f"clone + first answer {clone_s + ready_s:.1f} s; make run {cpu_s:.1f} CPU s")
    print(uptime())
    return 0


if __name__ == "__main__":
    sys.exit(main())
