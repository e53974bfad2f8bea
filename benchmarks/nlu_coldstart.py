"""The embedded NLU's first cold start (training into an empty cache), now and at a baseline.

Usage:
    .venv/bin/python benchmarks/nlu_coldstart.py [--baseline REV] [--runs 3]

A bot on a fresh machine trains the model once, in a child process, before it answers. For
the working tree and the baseline revision (its nlu/ exported with `git archive`), each run
is a fresh interpreter calling `load_or_train` on an empty cache directory; it reports the
wall time and the CPU time (user + system of the process and its training child, which is
robust to the load of a shared machine), then the CPU time of loading that cache again, as
every later start does. Medians of --runs. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from nlu_heldout import export  # noqa: E402

CHILD = r"""
import json, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from nlu.embedded import load_or_train
from nlu.training import load_dir
data = load_dir(Path(sys.argv[1]) / "nlu" / "data")
with tempfile.TemporaryDirectory() as cache:
    start, cpu = time.perf_counter(), os.times()
    load_or_train(data, Path(cache))
    end, wall = os.times(), time.perf_counter() - start
    warm = time.process_time()
    load_or_train(data, Path(cache))  # what every later start-up does: load the cache
    warm = time.process_time() - warm
used = sum(end[i] - cpu[i] for i in range(4))  # user, system, children's user and system
print(json.dumps({"wall": wall, "cpu": used, "warm_ms": warm * 1000,
                  "examples": len(data.examples)}))
"""


def one_run(root: Path) -> dict[str, float]:
    """Wall and CPU seconds of one cold start of `root`'s engine."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(root)], cwd=root, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print the medians for the baseline and the working tree."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        roots = {args.baseline: export(args.baseline, Path(tmp)), "working tree": ROOT}
        print(f"{'engine':<14}{'examples':>9}{'wall s':>9}{'cpu s':>8}{'warm cpu ms':>13}")
        for name, root in roots.items():
            runs = [one_run(root) for _ in range(max(1, args.runs))]
            print(f"{name:<14}{runs[0]['examples']:>9}"
                  f"{statistics.median(r['wall'] for r in runs):>9.1f}"
                  f"{statistics.median(r['cpu'] for r in runs):>8.1f}"
                  f"{statistics.median(r['warm_ms'] for r in runs):>13.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
