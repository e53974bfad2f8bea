"""The embedded model's cache when several bot workers start at once on an empty cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from bot.core.paths import nlu_dir
from nlu import embedded
from nlu.training import load_dir
train, train_in_child = embedded.EmbeddedEngine.train, embedded._train_in_child
def counted(data):
    print("trained", file=sys.stderr)
    return train(data)
def counted_child(data, path):
    print("trained", file=sys.stderr)
    return train_in_child(data, path)
embedded.EmbeddedEngine.train = staticmethod(counted)
embedded._train_in_child = counted_child
engine = embedded.load_or_train(load_dir(nlu_dir() / "data"), Path(sys.argv[1]))
print(engine.parse("gimana cara bikin paspor")["intent"]["name"])
"""


def test_workers_starting_together_share_one_trained_model(tmp_path: Path) -> None:
    cache = tmp_path / "nlu-cache"
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(cache)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(3)]
    results = [child.communicate(timeout=300) for child in children]
    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err[-2000:]
        assert out.strip() == "passport_info"
    trainings = sum(err.count("trained") for _out, err in results)
    assert trainings == 1, "each worker trained its own model instead of waiting for one"
    assert len(list(cache.glob("*.pickle"))) == 1
    assert not list(cache.glob("*.tmp")), "a half-written model was left behind"


BACKGROUND = """
import sys
from pathlib import Path
from bot.core.paths import nlu_dir
from nlu import embedded
from nlu.training import load_dir
def refuse(*args):
    raise AssertionError("trained again instead of waiting for the background training")
embedded._train_in_child = refuse
embedded.EmbeddedEngine.train = staticmethod(refuse)
cache = Path(sys.argv[1])
print(embedded.start_training(nlu_dir() / "data", cache))
engine = embedded.load_or_train(load_dir(nlu_dir() / "data"), cache)
print(engine.parse("gimana cara bikin paspor")["intent"]["name"])
print(embedded.start_training(nlu_dir() / "data", cache))
"""


def test_a_model_trained_in_the_background_at_start_up_answers(tmp_path: Path) -> None:
    """`desabot run` starts training at once; the bot then answers with that one model."""
    cache = tmp_path / "nlu-cache"
    done = subprocess.run([sys.executable, "-c", BACKGROUND, str(cache)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    started, intent, started_again = done.stdout.split()
    assert (started, intent, started_again) == ("True", "passport_info", "False")
    assert len(list(cache.glob("*.pickle"))) == 1
