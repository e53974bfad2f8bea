"""The fast scorer gives the bot exactly the probabilities scikit-learn would."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.domain.services import Services
from nlu.normalize import normalize
from nlu.scoring import LinearScorer
from nlu.training import load_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def held_out() -> list[str]:
    """Messages the model never saw, plus edge cases a villager could send."""
    data = load_files([ROOT / "nlu" / "tests" / "test_data.yml"])
    return [e.text for e in data.examples] + ["", "   ", "zzzz qqqq", "🙏🙏", "a" * 4096]


def test_scorer_matches_predict_proba(shared_services: Services, held_out: list[str]) -> None:
    """Same intent ranking as sklearn's pipeline, to rounding, on every held-out message."""
    engine = shared_services.nlu.embedded
    for text in held_out:
        normalized = normalize(text)
        expected = engine.pipeline.predict_proba([normalized])[0]
        got = engine.scorer.probabilities(normalized)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9, err_msg=text)


def test_scorer_refuses_a_pipeline_it_cannot_reproduce(shared_services: Services) -> None:
    """A changed pipeline (e.g. a binary classifier) must fail loudly, not score wrongly."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    pipeline = Pipeline([("features", FeatureUnion([("w", TfidfVectorizer(norm="l1"))])),
                         ("classifier", LogisticRegression())])
    pipeline.fit(["apa kabar", "cara buat paspor", "gaji besar"], ["x", "y", "z"])
    with pytest.raises(ValueError, match="l2"):
        LinearScorer(pipeline)


def test_retrieval_scores_match_scikit_learn(shared_services: Services,
                                             held_out: list[str]) -> None:
    """The answer search gives the same similarities as sklearn, so the same answer."""
    index = shared_services.index
    for text in held_out:
        got = index.scores(text)
        if got is None:
            assert not text.strip()
            continue
        np.testing.assert_allclose(got, index.reference_scores(text), rtol=0, atol=1e-9,
                                   err_msg=text)
