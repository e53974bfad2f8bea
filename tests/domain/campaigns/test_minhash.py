"""The signatures stay those datasketch 2.0 stored before the bot computed them itself.

Texts stored before the change keep their `campaign_texts.signature` bytes; if this module
hashed differently, a re-post of an old advert would silently start a new campaign. The
digests below were printed by datasketch 2.0's MinHash(num_perm=64, scheme="affine32").
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from bot.domain.campaigns.grouping import signature
from bot.domain.campaigns.minhash import BandIndex, bands_for, minhash

STORED = [
    ("Lowongan kerja Kamboja gaji 15 juta, hubungi 0812-3456-7890", 40, "8990b7891e678da6"),
    ("Dicari TKW Malaysia tanpa biaya", 28, "a51c7d0647df33a3"),
    ("", 0, "3d6876a0146de857"),
    ("a", 1, "3d586f792e8557ae"),
]


@pytest.mark.parametrize(("text", "size", "digest"), STORED)
def test_a_signature_is_the_one_datasketch_stored(text: str, size: int, digest: str) -> None:
    sig = signature(text)
    assert sig.size == size
    assert hashlib.sha256(sig.values.astype("<u4").tobytes()).hexdigest()[:16] == digest


@pytest.mark.parametrize(("threshold", "num_perm", "expected"), [
    (0.1, 64, (15, 1)), (0.2, 64, (28, 2)), (0.3, 64, (21, 3)), (0.5, 64, (14, 4)),
    (0.8, 64, (5, 11)), (0.1, 128, (64, 2)), (0.5, 128, (25, 5)), (0.8, 128, (9, 13)),
])
def test_the_bands_are_the_ones_datasketch_chose(threshold: float, num_perm: int,
                                                 expected: tuple[int, int]) -> None:
    assert bands_for(threshold, num_perm) == expected


def test_texts_sharing_a_band_are_candidates_and_others_are_not() -> None:
    index = BandIndex(0.2, 64)
    texts = [{b"abcd", b"bcde", b"cdef"}, {b"wxyz", b"xyzz"}, {b"abcd", b"bcde", b"cdeg"}]
    for key, grams in enumerate(texts):
        index.insert(key, minhash(grams, 64))
    found = index.query(minhash({b"abcd", b"bcde", b"cdef"}, 64))
    assert 0 in found and 1 not in found
    assert index.query(np.zeros(64, dtype=np.uint32)).size == 0


def test_the_sorted_bands_find_exactly_what_comparing_every_row_finds() -> None:
    """Past the unsorted tail, a query must still find every text sharing a band, and no other."""
    index = BandIndex(0.2, 64)
    index.TAIL = 16  # several rebuilds of the sorted arrays within a small test
    rng = np.random.default_rng(7)
    signatures = [rng.integers(0, 50, 64, dtype=np.uint32) for _ in range(150)]
    for key, values in enumerate(signatures):
        index.insert(key, values)
    folded = np.array([index._fold(v) for v in signatures])
    for values in [*signatures[::7], rng.integers(0, 50, 64, dtype=np.uint32)]:
        expected = np.flatnonzero((folded == index._fold(values)).any(axis=1))
        assert index.query(values).tolist() == expected.tolist()
