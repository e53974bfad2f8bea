"""What the NLU and the answer retrieval cost in memory, step by step, in a fresh process.

Usage:
    .venv/bin/python benchmarks/nlu_memory.py [--runs 3]

Each run is a new interpreter on a warm NLU cache (trained once beforehand into a temporary
directory). It reads VmRSS after each step of the bot's start-up that belongs to the NLU or
the retrieval: the bare interpreter, importing numpy, importing the engine (it imported
scikit-learn and SciPy before brief nlu3), loading the cached model, the first parse, loading
the answer book and building the question index, then one `respond`. Each step's cost is the
RSS difference to the step before; medians of --runs. Python's allocator keeps freed pages,
so these are the costs the bot really carries at rest. A measurement: it asserts nothing.
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

CHILD = r"""
import json, sys
from pathlib import Path
steps = []
def rss(name):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            steps.append((name, int(line.split()[1]) / 1024))
rss("interpreter")
import numpy
rss("import numpy")
from nlu.embedded import load_or_train
from nlu.training import load_dir
rss("import nlu.embedded")
engine = load_or_train(load_dir(Path("nlu/data")), Path(sys.argv[1]))
rss("load cached model")
engine.parse("gmn cara kerja ke luar negeri yg resmi")
rss("first parse")
from bot.domain.answers.book import AnswerBook
book = AnswerBook.load(Path("content/id/answers"))
rss("answer book")
from bot.domain.answers.retrieval import QuestionIndex
index = QuestionIndex.for_book(book)
rss("question index")
from bot.domain.answers.conversation import Understood, respond
respond(Understood.from_parse(engine.parse("brp biaya paspor")), "brp biaya paspor", book, index)
rss("first respond")
print(json.dumps(steps))
"""


def one_run(cache: Path) -> list[tuple[str, float]]:
    """The (step, RSS MiB) list of one fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(cache)], cwd=ROOT, check=True,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print each step's RSS and its cost (medians)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        one_run(Path(tmp))  # trains and caches; not counted
        runs = [one_run(Path(tmp)) for _ in range(max(1, args.runs))]
    print(f"{'step':<40}{'RSS MiB':>9}{'cost MiB':>10}")
    previous = 0.0
    for i, (name, _) in enumerate(runs[0]):
        value = statistics.median(run[i][1] for run in runs)
        print(f"{name:<40}{value:>9.1f}{value - previous:>10.1f}")
        previous = value
    return 0


if __name__ == "__main__":
    sys.exit(main())
