"""B-cubed precision and recall of a grouping against labelled campaigns.

B-cubed scores each text: precision is the share of its predicted campaign that truly belongs
with it, recall the share of its true campaign that was put with it; both are averaged over
texts, so one big wrong merge costs as much as it hurts users (Amigó et al., 2009).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    """B-cubed precision, recall and their harmonic mean."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        """The harmonic mean; 0 when both are 0."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def bcubed(truth: Sequence[str], predicted: Sequence[object]) -> Scores:
    """Score predicted cluster labels against true labels (same order, same length)."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted differ in length")
    if not truth:
        return Scores(1.0, 1.0)
    pairs = Counter(zip(truth, predicted, strict=True))
    true_sizes, predicted_sizes = Counter(truth), Counter(predicted)
    precision = sum(n * n / predicted_sizes[p] for (_, p), n in pairs.items()) / len(truth)
    recall = sum(n * n / true_sizes[t] for (t, _), n in pairs.items()) / len(truth)
    return Scores(precision, recall)
