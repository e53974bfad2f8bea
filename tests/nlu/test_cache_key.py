"""The embedded model is retrained when anything it was trained with changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nlu import embedded


def test_a_change_to_the_slang_lexicon_alone_retrains(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Only places.yml was in the key: a new slang spelling kept serving the stale model."""
    lexicon = tmp_path / "lexicon"
    shutil.copytree(embedded.PLACES_PATH.parent, lexicon)
    monkeypatch.setattr(embedded, "PLACES_PATH", lexicon / "places.yml")
    before = embedded._key("data")
    assert embedded._key("data") == before  # stable while nothing changes
    slang = lexicon / "slang.yml"
    slang.write_text(slang.read_text(encoding="utf-8") + "\n# a new spelling\n",
                     encoding="utf-8")
    assert embedded._key("data") != before
