"""The embedded engine's out_of_scope rule, judged by cross-validation on the training data only.

Usage:
    .venv/bin/python benchmarks/nlu_calibrate.py [--folds 5] [--seed 1] [--c 10 20] \
        [--oos-weight 2]

The rule that turns an unsure intent into out_of_scope (`nlu/embedded.py`: a threshold, a
floor and a ratio to out_of_scope's probability) decides most of the engine's errors on real
messages. Choosing it on a held-out set would tune to that set, so this script chooses nothing
from one: it splits `nlu/data` into folds (stratified by intent, shuffled with --seed), trains
the engine on all folds but one, parses the held-back fold as the bot would (vowels restored,
gibberish check), and keeps every message's full ranking. It then prints, for a grid of
rules (and for each --c regularisation and --oos-weight given, one cross-validation
each), the out-of-fold accuracy, out-of-scope recall and in-scope messages sent to
out_of_scope, with the rule in force marked. Training examples are often near-paraphrases, so
these figures are optimistic in absolute terms; they are for comparing rules with one another.
A measurement, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlu import embedded  # noqa: E402
from nlu.normalize import normalize  # noqa: E402
from nlu.training import TrainingData, load_dir  # noqa: E402

OOS = "out_of_scope"
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
RATIOS = (1.0, 1.5, 2.0, 3.0, 4.0)


def folds(data: TrainingData, k: int, seed: int) -> list[list[int]]:
    """Example indices in k folds, each intent spread evenly over them."""
    by_intent: dict[str, list[int]] = defaultdict(list)
    for i, example in enumerate(data.examples):
        by_intent[example.intent].append(i)
    rng = random.Random(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    for indices in by_intent.values():
        rng.shuffle(indices)
        for j, i in enumerate(indices):
            out[j % k].append(i)
    return out


def out_of_fold(data: TrainingData, k: int, seed: int) -> list[tuple[str, list, bool]]:
    """(expected intent, ranking, familiar) of every training example, from a model without it."""
    rows = []
    for held in folds(data, k, seed):
        held_set = set(held)
        train = TrainingData(
            [e for i, e in enumerate(data.examples) if i not in held_set],
            data.synonyms,
            data.lookups,
            data.regexes,
            data.fingerprint,
        )
        engine = embedded.EmbeddedEngine.train(train)
        for i in held:
            text = engine.restore_vowels(embedded.mark_places(normalize(data.examples[i].text)))
            rows.append((data.examples[i].intent, engine._ranking(text), engine._familiar(text)))
    return rows


def decide(ranking: list, familiar: bool, threshold: float, ratio: float) -> str:
    """The engine's rule (EmbeddedEngine._trusted) with the given threshold and ratio."""
    best = ranking[0]
    if best["name"] == OOS or not familiar:
        return OOS
    if best["confidence"] >= threshold:
        return best["name"]
    oos = next((r["confidence"] for r in ranking if r["name"] == OOS), 0.0)
    trusted = best["confidence"] >= embedded.FLOOR and best["confidence"] >= ratio * oos
    return best["name"] if trusted else OOS


def grid(rows: list[tuple[str, list, bool]], current: tuple[float, float]) -> None:
    """Print every rule's out-of-fold figures; the rule in force is marked."""
    n_oos = sum(e == OOS for e, _, _ in rows)
    print(f"{'threshold':>10}{'ratio':>7}{'acc':>8}{'oos rec':>9}{'in->oos':>9}{'oos->in':>9}")
    for threshold in THRESHOLDS:
        for ratio in RATIOS:
            predicted = [decide(r, f, threshold, ratio) for _, r, f in rows]
            pairs = list(zip((e for e, _, _ in rows), predicted, strict=True))
            accuracy = sum(e == p for e, p in pairs) / len(pairs)
            in_to_oos = sum(e != OOS and p == OOS for e, p in pairs)
            oos_to_in = sum(e == OOS and p != OOS for e, p in pairs)
            mark = " <- now" if (threshold, ratio) == current else ""
            print(
                f"{threshold:>10.2f}{ratio:>7.1f}{accuracy:>8.3f}"
                f"{1 - oos_to_in / n_oos:>9.3f}{in_to_oos:>9}{oos_to_in:>9}{mark}"
            )


def main(argv: list[str] | None = None) -> int:
    """Print the grid of rules with their out-of-fold figures, per model setting."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--c", type=float, nargs="+", default=[embedded.REGULARISATION_C])
    parser.add_argument("--oos-weight", type=float, nargs="+", default=[embedded.OOS_WEIGHT])
    args = parser.parse_args(argv)
    data = load_dir(ROOT / "nlu" / "data")
    current = (embedded.FALLBACK_THRESHOLD, embedded.OOS_RATIO)
    for c in args.c:
        for weight in args.oos_weight:
            embedded.REGULARISATION_C, embedded.OOS_WEIGHT = c, weight
            rows = out_of_fold(data, args.folds, args.seed)
            n_oos = sum(e == OOS for e, _, _ in rows)
            print(
                f"\nC={c} oos weight={weight}: {len(rows)} training examples, "
                f"{n_oos} out of scope, {args.folds} folds",
                flush=True,
            )
            grid(rows, current)
    return 0


if __name__ == "__main__":
    sys.exit(main())
