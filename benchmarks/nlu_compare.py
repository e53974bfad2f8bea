"""Embedded NLU engine versus Rasa DIET, trained on the same data and measured in one run.

Usage:
    .venv/bin/python benchmarks/nlu_compare.py [--epochs 100] [--runs 3] [--skip-train]

Measures, for both engines: training/start-up time, accuracy, macro-F1, out-of-scope recall
and false-positive rate on nlu/tests/test_data.yml, one-message parse latency (p50, p99;
medians of --runs repetitions), and peak memory (RSS high-water mark). Baselines measured in
the same run (a `str.lower()` loop and a loopback HTTP round trip) let the figures be read as
ratios on a noisy, shared machine. Prints a table and writes
benchmarks/results/nlu_compare.json. This is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `nlu` is importable

from nlu.embedded import load_or_train  # noqa: E402
from nlu.evaluate import Evaluation, evaluate, load_labelled, report  # noqa: E402
from nlu.intents import INTENTS  # noqa: E402
from nlu.rasa_client import RasaClient, RasaUnavailable  # noqa: E402
from nlu.training import load_dir  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from benchlib import process_tree  # noqa: E402
from nlu_compare_report import dig, normalized, ratio, table  # noqa: E402
from rasa_server import (  # noqa: E402
    RASA_MODEL,
    BenchmarkError,
    proc_status_kib,
    rasa_server,
    train_rasa,
    wait_until_ready,
)

DATA_DIR = ROOT / "nlu" / "data"
TEST_FILE = ROOT / "nlu" / "tests" / "test_data.yml"
RESULTS = ROOT / "benchmarks" / "results"
OOS = "out_of_scope"
RASA_OOS_ALIASES = {"nlu_fallback"}  # the bot treats Rasa's fallback as out_of_scope
BOT_RASA_TIMEOUT_S = 0.5  # nlu.rasa_client default: slower answers fall back to embedded

# Runs in a fresh interpreter: times import + load_or_train, optionally parses the test set,
# and reports the process's RSS high-water mark (VmHWM) at the end.
CHILD_CODE = r"""
import time
t0 = time.perf_counter()
import json, sys
from pathlib import Path
from nlu.embedded import load_or_train
from nlu.training import load_dir
engine = load_or_train(load_dir(Path(sys.argv[1])), Path(sys.argv[2]))
out = {"load_s": time.perf_counter() - t0}
if len(sys.argv) > 3:
    from nlu.evaluate import load_labelled
    for text, _ in load_labelled(Path(sys.argv[3])):
        engine.parse(text)
for line in Path("/proc/self/status").read_text().splitlines():
    if line.startswith(("VmHWM:", "VmRSS:")):
        out[line.split(":")[0]] = int(line.split()[1])
print(json.dumps(out))
"""


# --------------------------------------------------------------------------- statistics


def percentile_ms(samples: list[float], q: float) -> float:
    """The q-th percentile of durations in seconds, in milliseconds."""
    return float(np.percentile(np.asarray(samples), q)) * 1000.0


def latency(parse: Callable[[str], Any], texts: list[str], runs: int) -> dict[str, Any]:
    """Time one call per text, `runs` times; medians over runs of p50, p99 and the mean.

    `over_bot_timeout` counts calls slower than the bot's Rasa timeout (0.5 s), after which
    the bot would have answered with the embedded engine instead.
    """
    p50s, p99s, means, slow = [], [], [], []
    for _ in range(runs):
        samples = []
        for text in texts:
            start = time.perf_counter()
            parse(text)
            samples.append(time.perf_counter() - start)
        p50s.append(percentile_ms(samples, 50))
        p99s.append(percentile_ms(samples, 99))
        means.append(statistics.fmean(samples) * 1000.0)
        slow.append(sum(s > BOT_RASA_TIMEOUT_S for s in samples))
    return {"p50_ms": statistics.median(p50s), "p99_ms": statistics.median(p99s),
            "mean_ms": statistics.median(means), "p50_runs_ms": p50s, "p99_runs_ms": p99s,
            "over_bot_timeout": statistics.median(slow), "calls_per_run": len(texts)}


def quality(result: Evaluation) -> dict[str, Any]:
    """Accuracy, macro-F1, OOS recall and OOS false-positive rate of an evaluation."""
    pairs = list(zip(result.expected, result.predicted, strict=True))
    in_scope = [p for e, p in pairs if e != OOS]
    false_positives = sum(p == OOS for p in in_scope)
    return {
        "messages": len(pairs),
        "accuracy": result.accuracy,
        "macro_f1": result.macro_f1,
        "oos_recall": result.oos_recall,
        "oos_false_positive_rate": false_positives / len(in_scope) if in_scope else float("nan"),
        "oos_false_positives": false_positives,
        "in_scope_messages": len(in_scope),
        "most_confused": [[e, p, n] for (e, p), n in result.confused(10)],
    }


# --------------------------------------------------------------------------- baselines


class _EchoHandler(BaseHTTPRequestHandler):
    """Answers every POST with a tiny Rasa-shaped JSON body, keeping the connection alive."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else Nagle + delayed ACK add ~40 ms per round trip

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'{"intent":{"name":"greet","confidence":1.0}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log."""


def baseline(texts: list[str], runs: int) -> dict[str, Any]:
    """CPU and loopback-HTTP reference figures, measured now, on this machine.

    `str_lower_ns`: one `text.lower()` over the test messages (a pure-CPU speed index).
    `http`: POST round trip with httpx (as `RasaClient` does) to a trivial local http.server.
    """
    repeats = 200
    per_call = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeats):
            for text in texts:
                text.lower()
        per_call.append((time.perf_counter() - start) / (repeats * len(texts)) * 1e9)

    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/model/parse"
    try:
        with httpx.Client(timeout=10.0) as client:
            client.post(url, json={"text": "warm up"})
            http = latency(lambda t: client.post(url, json={"text": t}).raise_for_status(),
                           texts, runs)
    finally:
        server.shutdown()
        server.server_close()
    return {"str_lower_ns": statistics.median(per_call), "http": http,
            "loadavg": list(os.getloadavg())}


# --------------------------------------------------------------------------- embedded engine


def run_child(cache_dir: Path, parse_file: Path | None = None) -> dict[str, Any]:
    """Run CHILD_CODE in a fresh interpreter; its JSON plus the process's wall time."""
    argv = [sys.executable, "-c", CHILD_CODE, str(DATA_DIR), str(cache_dir)]
    if parse_file:
        argv.append(str(parse_file))
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchmarkError(f"embedded subprocess failed ({done.returncode}):\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    return result


def bench_embedded(rows: list[tuple[str, str]], runs: int,
                   test_file: Path = TEST_FILE) -> dict[str, Any]:
    """Start-up (cold train, cached load), quality, latency and peak RSS of the embedded engine."""
    texts = [t for t, _ in rows]
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as tmp:
        cold = []
        for i in range(runs):
            cache = Path(tmp) / f"cold-{i}"  # empty each time: train from scratch
            cold.append(run_child(cache))
            print(f"  cold start {i + 1}/{runs}: {cold[-1]['load_s']:.2f} s", flush=True)
        warm_cache = Path(tmp) / "cold-0"  # populated by the first cold run
        warm = []
        for i in range(runs):
            warm.append(run_child(warm_cache))
            print(f"  cached load {i + 1}/{runs}: {warm[-1]['load_s']:.3f} s", flush=True)
        memory = [run_child(warm_cache, test_file) for _ in range(runs)]

        engine = load_or_train(load_dir(DATA_DIR), warm_cache)
        evaluation = evaluate(engine.parse, rows)
        print(report(evaluation), flush=True)
        lat = latency(engine.parse, texts, runs)
    return {
        "train_cold_s": statistics.median(r["load_s"] for r in cold),
        "train_cold_wall_s": statistics.median(r["wall_s"] for r in cold),
        "load_cached_s": statistics.median(r["load_s"] for r in warm),
        "load_cached_wall_s": statistics.median(r["wall_s"] for r in warm),
        "startup_runs": {"cold_s": [r["load_s"] for r in cold],
                         "cached_s": [r["load_s"] for r in warm]},
        "peak_rss_mib": statistics.median(r["VmHWM"] for r in memory) / 1024,
        "peak_rss_note": "VmHWM of a fresh process that loads the cached model and parses "
                         "every test message",
        "quality": quality(evaluation),
        "latency": lat,
    }


def bench_rasa(rows: list[tuple[str, str]], runs: int, port: int, log_dir: Path
               ) -> dict[str, Any]:
    """Start-up, quality, latency and peak RSS of a Rasa server, over HTTP like the bot."""
    texts = [t for t, _ in rows]
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / "rasa-serve.log"
    started = time.perf_counter()
    with rasa_server(port, log_path) as proc:
        startup = wait_until_ready(proc, url, started, log_path)
        print(f"  server answered / after {startup['root_s']:.1f} s, first parse after "
              f"{startup['first_parse_s']:.1f} s", flush=True)
        client = RasaClient(url, timeout=10.0)
        try:
            def parse(text: str) -> dict[str, Any]:
                result = client.parse(text)
                if result["intent"].get("name") in RASA_OOS_ALIASES:
                    result["intent"] = {**result["intent"], "name": OOS}
                return result

            evaluation = evaluate(parse, rows)
            print(report(evaluation), flush=True)
            base = baseline(texts, runs)  # next to Rasa's latency, with the server up
            lat = latency(client.parse, texts, runs)
        finally:
            client.close()
        tree = process_tree(proc.pid)
        hwm = {pid: proc_status_kib(pid, "VmHWM") for pid in tree}
        rss = {pid: proc_status_kib(pid, "VmRSS") for pid in tree}
    return {
        "startup_root_s": startup["root_s"],
        "startup_first_parse_s": startup["first_parse_s"],
        "first_parse_call_s": startup["first_parse_call_s"],
        "peak_rss_mib": sum(hwm.values()) / 1024,
        "peak_rss_main_mib": hwm.get(proc.pid, 0) / 1024,
        "rss_now_mib": sum(rss.values()) / 1024,
        "processes": len(tree),
        "peak_rss_note": "sum of VmHWM over the rasa server's process tree, read after all "
                         "parses",
        "quality": quality(evaluation),
        "latency": lat,
        "baseline": base,
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=100, help="DIET epochs (default 100)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians reported")
    parser.add_argument("--skip-train", action="store_true",
                        help="reuse an existing Rasa model instead of training one")
    parser.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument("--output", type=Path, default=RESULTS / "nlu_compare.json")
    parser.add_argument("--test", type=Path, default=TEST_FILE,
                        help="labelled messages to measure on (default nlu/tests/test_data.yml;"
                             " e.g. tests/fixtures/nlu_fresh.yml)")
    parser.add_argument("--log-dir", type=Path, default=None,
                        help="where Rasa's train/serve logs go (default: a new temp dir)")
    return parser.parse_args(argv)


def check_test_data(rows: list[tuple[str, str]]) -> list[str]:
    """Intents of the contract that have no held-out example (printed as a warning)."""
    present = {intent for _, intent in rows}
    return [i for i in INTENTS if i not in present]


def main(argv: list[str] | None = None) -> int:
    """Run every measurement, print the table and write the JSON; 1 if Rasa failed."""
    args = parse_args(argv)
    log_dir = args.log_dir or Path(tempfile.mkdtemp(prefix="nlu-compare-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    test_file = args.test.resolve()
    rows = load_labelled(test_file)
    texts = [t for t, _ in rows]
    missing = check_test_data(rows)
    if missing:
        print(f"WARNING: no test examples for {', '.join(missing)}", flush=True)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "args": {"epochs": args.epochs, "runs": args.runs, "skip_train": args.skip_train},
        "test_data": {"file": str(test_file.relative_to(ROOT)), "messages": len(rows),
                      "intents": len({i for _, i in rows}), "missing_intents": missing},
        "training_examples": len(load_dir(DATA_DIR).examples),
        "data_fingerprint": load_dir(DATA_DIR).fingerprint,
        "logs": str(log_dir),
    }
    rasa: dict[str, Any] = {}
    results["rasa"] = rasa
    try:
        if args.skip_train and RASA_MODEL.is_file():
            print(f"[rasa] reusing {RASA_MODEL.relative_to(ROOT)} (--skip-train)", flush=True)
            rasa["trained_this_run"] = False
            stale = max(p.stat().st_mtime for p in DATA_DIR.glob("*.yml"))
            if RASA_MODEL.stat().st_mtime < stale:
                print("  WARNING: the model is older than nlu/data", flush=True)
                rasa["model_older_than_data"] = True
        else:
            log = log_dir / "rasa-train.log"
            print(f"[rasa] training DIET, {args.epochs} epochs (log: {log})", flush=True)
            rasa["train_s"] = train_rasa(args.epochs, log, args.port)
            rasa["trained_this_run"] = True
            rasa["epochs"] = args.epochs
            print(f"  trained in {rasa['train_s']:.0f} s", flush=True)
    except BenchmarkError as exc:
        rasa["error"] = str(exc)

    print("[baseline] str.lower() and loopback HTTP", flush=True)
    results["baseline"] = baseline(texts, args.runs)
    print("[embedded] start-up, quality, latency, memory", flush=True)
    results["embedded"] = bench_embedded(rows, args.runs, test_file)

    if "error" not in rasa:
        print(f"[rasa] serving on 127.0.0.1:{args.port} (log: {log_dir / 'rasa-serve.log'})",
              flush=True)
        try:
            rasa.update(bench_rasa(rows, args.runs, args.port, log_dir))
        except (BenchmarkError, RasaUnavailable, httpx.HTTPError, OSError) as exc:
            rasa["error"] = f"{type(exc).__name__}: {exc}"

    if load_dir(DATA_DIR).fingerprint != results["data_fingerprint"]:
        results["data_changed_during_run"] = True
        print("WARNING: nlu/data changed during the run; the engines may have learnt different "
              "data. Run again.", flush=True)
    results["normalized"] = normalized(results)
    results["ratios_rasa_over_embedded"] = {
        key: ratio(dig(rasa, path_r), dig(results["embedded"], path_e))
        for key, path_r, path_e in (
            ("latency_p50", "latency.p50_ms", "latency.p50_ms"),
            ("latency_p99", "latency.p99_ms", "latency.p99_ms"),
            ("peak_rss", "peak_rss_mib", "peak_rss_mib"),
            ("startup", "startup_first_parse_s", "load_cached_s"),
            ("training", "train_s", "train_cold_s"),
        )
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    print()
    print(f"NLU comparison: {len(rows)} held-out messages, {args.runs} runs (medians), "
          f"DIET {args.epochs} epochs{' (existing model)' if args.skip_train else ''}")
    print(table(results))
    print(f"\nwritten to {args.output}")
    return 1 if "error" in rasa else 0


if __name__ == "__main__":
    sys.exit(main())
