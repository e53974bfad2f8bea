"""Two NumPy results computed without the functions that import `numpy.ma`.

`np.percentile` and `np.unique` look up `np.ma` (masked arrays), which NumPy 2 imports on
first use: 9.4 MiB that then stay in the bot's memory at rest (issue 18's floor is 150 MB),
for one median at start-up (the fact search) and one dedup per campaign lookup. These give
the same values, bit for bit (tests/core/test_arrays.py compares them with NumPy's).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


def percentile(values: Iterable[float], q: float) -> float:
    """`np.percentile(values, q)` with its default "linear" method, as a float.

    NumPy's own interpolation, including its choice of which end to step back from when the
    position is past the middle of a gap, so the rounding is the same.
    """
    ordered = sorted(float(v) for v in values)
    if not ordered:
        raise ValueError("percentile of no values")
    position = (q / 100) * (len(ordered) - 1)
    low = math.floor(position)
    t = position - low
    a, b = ordered[low], ordered[min(low + 1, len(ordered) - 1)]
    step = b - a
    return b - step * (1 - t) if t >= 0.5 else a + step * t


def sorted_unique(array: np.ndarray) -> np.ndarray:
    """`np.unique(array)` of a one-dimensional array: its distinct values, ascending."""
    ordered = np.sort(array, kind="stable")
    if ordered.size == 0:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
