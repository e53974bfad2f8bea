"""The campaigns' MinHash and LSH give what datasketch gives, on every text of our labelled set.

The bot computes them with numpy (`bot/domain/campaigns/minhash.py`) because importing
datasketch loads SciPy: 46 MiB of the bot's memory at rest, against issue 18's 150 MB. The
library stays the reference: if a datasketch release or our code drifts, a re-post of a stored
advert would silently start a new campaign, and this test says so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.domain.campaigns.grouping import TUNING, shingles, signature
from bot.domain.campaigns.minhash import BandIndex

datasketch = pytest.importorskip("datasketch")
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "campaigns.yml"


def _texts() -> list[str]:
    families = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return [t for f in families for texts in f["campaigns"].values() for t in texts]


def _reference(text: str) -> datasketch.MinHash:
    m = datasketch.MinHash(num_perm=TUNING.num_perm, scheme="affine32")
    m.update_batch(list(shingles(text, TUNING.shingle)))
    return m


def test_every_signature_is_datasketchs() -> None:
    for text in _texts():
        ours = signature(text).values
        assert np.array_equal(ours.astype(np.uint64), _reference(text).hashvalues), text[:40]


def test_the_index_finds_the_candidates_datasketchs_lsh_finds() -> None:
    texts = _texts()
    ours = BandIndex(TUNING.lsh_threshold, TUNING.num_perm)
    ours.TAIL = 32  # the sorted arrays are rebuilt several times over the set
    theirs = datasketch.MinHashLSH(threshold=TUNING.lsh_threshold, num_perm=TUNING.num_perm,
                                   weights=(0.5, 0.5))
    for key, text in enumerate(texts):
        ours.insert(key, signature(text).values)
        theirs.insert(key, _reference(text))
    assert (ours.bands, ours.rows) == (theirs.b, theirs.r)
    for text in texts:
        assert set(ours.query(signature(text).values).tolist()) == set(
            theirs.query(_reference(text))), text[:40]
