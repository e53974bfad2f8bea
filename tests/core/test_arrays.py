"""The NumPy-free-of-numpy.ma helpers give NumPy's own answers, to the last bit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.core.arrays import percentile, sorted_unique

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("size", [1, 2, 3, 10, 501])
@pytest.mark.parametrize("q", [0, 10, 25, 33.3, 50, 75, 90, 99, 100])
def test_percentile_is_numpys(size: int, q: float) -> None:
    rng = np.random.default_rng(size)
    for values in (rng.random(size) * 7, rng.integers(0, 5, size).astype(float)):
        assert percentile(list(values), q) == float(np.percentile(values, q))


def test_percentile_of_nothing_refuses() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)


@pytest.mark.parametrize("size", [0, 1, 2, 50, 1000])
def test_sorted_unique_is_numpys(size: int) -> None:
    values = np.random.default_rng(size).integers(-20, 20, size).astype(np.int64)
    got = sorted_unique(values)
    assert got.dtype == values.dtype
    assert got.tolist() == np.unique(values).tolist()


def test_neither_imports_masked_arrays() -> None:
    code = ("import sys, numpy as np; from bot.core.arrays import percentile, sorted_unique; "
            "percentile([3.0, 1.0, 2.0], 50); sorted_unique(np.array([2, 1, 2])); "
            "print('numpy.ma' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "False"
