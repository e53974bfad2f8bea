"""Both engines on every held-out set in one run: embedded (now and at a baseline) and DIET.

Usage:
    .venv/bin/python benchmarks/nlu_sets.py [--baseline main] \
        [--diet NAME=PATH/desabot-nlu.tar.gz ...] [--port 5005]

`nlu_compare.py` measures one set and trains DIET itself; this one reads already trained
DIET models (`scripts/rasa.sh train` with RASA_MODELS pointing at a directory; a model
trained on a baseline revision's nlu/data is how old DIET is compared with new DIET), serves
each in turn on loopback and sends it every message of every set (`nlu_heldout.SETS`). The
embedded engine is trained from scratch in a fresh interpreter for the working tree and for
the baseline revision, as `nlu_heldout.py` does. Prints accuracy, macro-F1, out-of-scope
recall and in-scope messages sent to out_of_scope per engine and set. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from nlu_heldout import OOS, SETS, export, measure  # noqa: E402
from rasa_server import rasa_server, wait_until_ready  # noqa: E402

from nlu.evaluate import evaluate, load_labelled  # noqa: E402
from nlu.rasa_client import RasaClient  # noqa: E402


def diet_figures(model: Path, port: int, log_dir: Path) -> dict[str, dict[str, float]]:
    """Serve one trained DIET model and measure it on every set."""
    os.environ["RASA_MODELS"] = str(model.parent)  # scripts/rasa.sh serves MODELS/desabot-nlu
    log = log_dir / f"serve-{model.parent.name}.log"
    started = time.perf_counter()
    out: dict[str, dict[str, float]] = {}
    with rasa_server(port, log) as proc:
        wait_until_ready(proc, f"http://127.0.0.1:{port}", started, log)
        client = RasaClient(f"http://127.0.0.1:{port}", timeout=30.0)
        try:
            for name, path in SETS.items():
                result = evaluate(client.parse, load_labelled(path))
                pairs = list(zip(result.expected, result.predicted, strict=True))
                out[name] = {"n": len(pairs), "accuracy": result.accuracy,
                             "macro_f1": result.macro_f1, "oos_recall": result.oos_recall,
                             "in_scope_to_oos": sum(e != OOS and p == OOS for e, p in pairs)}
        finally:
            client.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Print one table: every engine on every set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--diet", action="append", default=[],
                        help="NAME=PATH of a trained model (desabot-nlu.tar.gz); repeatable")
    parser.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    args = parser.parse_args(argv)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results[f"embedded {args.baseline}"] = measure(export(args.baseline, Path(tmp)), 1)
        results["embedded now"] = measure(ROOT, 1)
        for item in args.diet:
            name, _, path = item.partition("=")
            results[f"DIET {name}"] = diet_figures(Path(path).resolve(), args.port, Path(tmp))
    print(f"{'engine':<22}{'set':<13}{'n':>5}{'acc':>8}{'F1':>8}{'oos rec':>9}{'in->oos':>9}")
    for name in SETS:
        for engine, result in results.items():
            r = result[name]
            print(f"{engine:<22}{name:<13}{r['n']:>5}{r['accuracy']:>8.3f}{r['macro_f1']:>8.3f}"
                  f"{r['oos_recall']:>9.3f}{r['in_scope_to_oos']:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
