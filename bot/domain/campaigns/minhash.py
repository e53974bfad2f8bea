"""MinHash signatures and a banded LSH index in numpy, without datasketch's import cost.

datasketch was the library here, but importing it loads scipy (for one integral), redis,
HNSW and its async storage: 46 MiB of the bot's resident memory before any offer is checked
(issue 18: the bot at rest must stay under 150 MB). This module keeps its "affine32" scheme
bit for bit (seed 1, SHA-1 of each shingle, the MurmurHash3 finalizer, then a*h + b in
uint32), so the signatures stored in `campaign_texts` before the change still compare
(tests/domain/campaigns/test_minhash.py holds the values datasketch 2.0 gave).

The LSH keeps each text's bands as one uint32 per band in one numpy array and answers a query
by comparing the query's bands with all rows at once: about 110 bytes per indexed text instead
of datasketch's ~4 KB of Python dictionaries, and a few milliseconds at 100,000 texts. A band
collision of the 32-bit fold only adds a candidate; the caller scores every candidate on the
full signature, so it never changes a decision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache

import numpy as np

from bot.core.arrays import sorted_unique

SEED = 1  # datasketch's default seed: the stored signatures were made with it
MAX_HASH = np.uint32(0xFFFFFFFF)


@cache
def permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations (a odd, b) that datasketch's MinHash(seed=1) draws."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer: spreads the SHA-1 prefixes before the affine step."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def minhash(items: Iterable[bytes], num_perm: int) -> np.ndarray:
    """The MinHash values (uint32, num_perm long) of a set of byte strings."""
    hashed = [int.from_bytes(hashlib.sha1(item).digest()[:4], "little") for item in items]
    if not hashed:
        return np.full(num_perm, MAX_HASH, dtype=np.uint32)
    a, b = permutations(num_perm)
    column = _fmix32(np.array(hashed, dtype=np.uint32).reshape(-1, 1))
    return (column * a + b).min(axis=0)


def _area(b: int, r: int, low: float, high: float, candidate: bool) -> float:
    """Integral of the chance two texts of Jaccard s become LSH candidates (or do not)."""
    s = np.linspace(low, high, 2001)
    chance = 1 - (1 - s ** r) ** b
    values = chance if candidate else 1 - chance
    step = (high - low) / 2000
    return float(step / 3 * (values[0] + values[-1] + 4 * values[1:-1:2].sum()
                             + 2 * values[2:-1:2].sum()))  # Simpson's rule


@cache
def bands_for(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives + false negatives around the threshold.

    The same search as datasketch's `_optimal_param` with equal weights; Simpson's rule on a
    smooth polynomial stands in for scipy's `quad` (0.2 and 64 give its (28, 2)).
    """
    best, chosen = float("inf"), (1, 1)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            error = _area(b, r, 0.0, threshold, True) + _area(b, r, threshold, 1.0, False)
            if error < best:
                best, chosen = error, (b, r)
    return chosen


class BandIndex:
    """The LSH: keys of texts whose signatures share at least one whole band with a query.

    Each text keeps one uint32 per band. Comparing a query with every stored row grew with the
    store (23 ms at 100,000 distinct texts, against issue 17's 5 ms), so most rows also sit in
    one sorted array per band, searched by bisection; only the newest rows (at most `TAIL`)
    are compared one by one, and the sorted arrays are rebuilt when the tail fills up. That
    keeps a query at a few binary searches whatever the size, for 8 more bytes per band a text.
    """

    TAIL = 2048

    def __init__(self, threshold: float, num_perm: int) -> None:
        self.bands, self.rows = bands_for(threshold, num_perm)
        self._keys = np.zeros((1024, self.bands), dtype=np.uint32)
        self._count = 0
        self._sorted = 0  # rows [0, _sorted) are in the sorted arrays below
        self._values = np.empty((self.bands, 0), dtype=np.uint32)  # per band, ascending
        self._rows = np.empty((self.bands, 0), dtype=np.int32)  # the row of each value

    def _fold(self, values: np.ndarray) -> np.ndarray:
        """One uint32 per band: the band's `rows` values mixed together."""
        used = values[: self.bands * self.rows].reshape(self.bands, self.rows).astype(np.uint32)
        folded = np.zeros(self.bands, dtype=np.uint32)
        for column in range(self.rows):
            folded = _fmix32(folded * np.uint32(0x9E3779B1) ^ used[:, column])
        return folded

    def insert(self, key: int, values: np.ndarray) -> None:
        """Index a text under `key` (keys are 0, 1, 2, ... in insertion order)."""
        if key != self._count:
            raise ValueError("keys must be inserted in order 0, 1, 2, ...")
        if key == len(self._keys):
            self._keys = np.resize(self._keys, (2 * len(self._keys), self.bands))
        self._keys[key] = self._fold(values)
        self._count += 1
        if self._count - self._sorted >= self.TAIL:
            self._sort()

    def _sort(self) -> None:
        """Move every row into the per-band sorted arrays (the tail starts empty again)."""
        columns = self._keys[: self._count].T
        self._rows = np.argsort(columns, axis=1, kind="stable").astype(np.int32)
        self._values = np.take_along_axis(columns, self._rows, axis=1)
        self._sorted = self._count

    def query(self, values: np.ndarray) -> np.ndarray:
        """The keys of indexed texts sharing a band with these values (int64, ascending)."""
        if self._count == 0:
            return np.empty(0, dtype=np.int64)
        folded = self._fold(values)
        tail = self._keys[self._sorted: self._count]
        found = [self._sorted + np.flatnonzero((tail == folded).any(axis=1))]
        for band in range(self.bands if self._sorted else 0):
            column = self._values[band]
            low = np.searchsorted(column, folded[band], side="left")
            high = np.searchsorted(column, folded[band], side="right")
            if high > low:
                found.append(self._rows[band, low:high])
        return sorted_unique(np.concatenate(found)).astype(np.int64)
