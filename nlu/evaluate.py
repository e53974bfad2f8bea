"""Accuracy, macro-F1, a per-intent report and the most confused pairs."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, classification_report, f1_score

from nlu.training import load_files


@dataclass
class Evaluation:
    """Expected and predicted intents of a labelled set."""

    texts: list[str]
    expected: list[str]
    predicted: list[str]

    @property
    def accuracy(self) -> float:
        """Share of messages given the right intent."""
        return float(accuracy_score(self.expected, self.predicted))

    @property
    def macro_f1(self) -> float:
        """F1 averaged over intents, so rare intents count as much as common ones."""
        return float(f1_score(self.expected, self.predicted, average="macro", zero_division=0))

    @property
    def oos_recall(self) -> float:
        """Share of out-of-scope messages that came out as out_of_scope."""
        pairs = [(e, p) for e, p in zip(self.expected, self.predicted, strict=True)
                 if e == "out_of_scope"]
        return sum(p == "out_of_scope" for _, p in pairs) / len(pairs) if pairs else float("nan")

    def confused(self, top: int = 10) -> list[tuple[tuple[str, str], int]]:
        """The most frequent (expected, predicted) mistakes."""
        pairs = Counter((e, p) for e, p in zip(self.expected, self.predicted, strict=True)
                        if e != p)
        return pairs.most_common(top)


def load_labelled(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs from a Rasa YAML file or a JSON-lines file."""
    if path.suffix in {".yml", ".yaml"}:
        return [(e.text, e.intent) for e in load_files([path]).examples]
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item: dict[str, Any] = json.loads(line)
            rows.append((item["text"], item["intent"]))
    return rows


def evaluate(parse: Callable[[str], dict[str, Any]], rows: list[tuple[str, str]]) -> Evaluation:
    """Parse every text and compare the intents."""
    predicted = [parse(text)["intent"]["name"] for text, _ in rows]
    return Evaluation([t for t, _ in rows], [i for _, i in rows], predicted)


def report(result: Evaluation) -> str:
    """A human-readable report."""
    lines = [
        f"messages: {len(result.expected)}",
        f"accuracy: {result.accuracy:.3f}",
        f"macro-F1: {result.macro_f1:.3f}",
        f"out-of-scope caught: {result.oos_recall:.3f}",
        "",
        classification_report(result.expected, result.predicted, zero_division=0),
        "most confused (expected -> predicted):",
    ]
    lines += [f"  {e} -> {p}: {n}" for (e, p), n in result.confused()]
    return "\n".join(lines)
