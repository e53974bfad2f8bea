"""The fast scorer gives the bot the probabilities scikit-learn would, without importing it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.domain.services import Services
from nlu.embedded import EmbeddedEngine
from nlu.normalize import normalize
from nlu.scoring import LinearScorer, skeleton_text
from nlu.training import TrainingData, load_dir, load_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def held_out() -> list[str]:
    """Messages the model never saw, plus edge cases a villager could send."""
    data = load_files([ROOT / "nlu" / "tests" / "test_data.yml"])
    return [e.text for e in data.examples] + ["", "   ", "zzzz qqqq", "🙏🙏", "a" * 4096]


@pytest.fixture(scope="module")
def small_engine() -> EmbeddedEngine:
    """Trained here on every fourth example (the cached engine keeps no pipeline)."""
    data = load_dir(ROOT / "nlu" / "data")
    return EmbeddedEngine.train(TrainingData(data.examples[::4], data.synonyms, data.lookups,
                                             data.regexes, data.fingerprint))


def test_scorer_matches_predict_proba(small_engine: EmbeddedEngine,
                                      held_out: list[str]) -> None:
    """Same probabilities as sklearn's pipeline (float32 weights) on every held-out message."""
    for text in held_out:
        normalized = normalize(text)
        expected = small_engine.pipeline.predict_proba([normalized])[0]
        got = small_engine.scorer.probabilities(normalized)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5, err_msg=text)
        assert got.argmax() == expected.argmax(), text


def test_the_cached_engine_answers_without_scikit_learn(shared_services: Services) -> None:
    """The bot's process loads and uses the NLU and the answer search without importing
    scikit-learn or SciPy (about 95 MiB of memory at rest)."""
    import subprocess
    import sys

    cache = shared_services.settings.data_dir / "nlu-cache"
    code = (
        "import sys; from pathlib import Path; "
        "from nlu.embedded import load_or_train; from nlu.training import load_dir; "
        "from bot.domain.answers.book import AnswerBook; "
        "from bot.domain.answers.retrieval import QuestionIndex; "
        f"e = load_or_train(load_dir(Path('nlu/data')), Path({str(cache)!r})); "
        "i = QuestionIndex.for_book(AnswerBook.load(Path('content/id/answers'))); "
        "print(e.parse('brp biaya psprt')['intent']['name'], i.best('biaya paspor') or '-', "
        "sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split()[0] == "passport_info"
    assert done.stdout.strip().endswith("[]"), done.stdout


def test_scorer_refuses_a_pipeline_it_cannot_reproduce(shared_services: Services) -> None:
    """A changed pipeline (e.g. a binary classifier) must fail loudly, not score wrongly."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    pipeline = Pipeline([("features", FeatureUnion([("w", TfidfVectorizer(norm="l1"))])),
                         ("classifier", LogisticRegression())])
    pipeline.fit(["apa kabar", "cara buat paspor", "gaji besar"], ["x", "y", "z"])
    with pytest.raises(ValueError, match="l2"):
        LinearScorer.from_pipeline(pipeline)


def test_retrieval_scores_match_scikit_learn(shared_services: Services,
                                             held_out: list[str]) -> None:
    """The answer search gives the same similarities as sklearn, so the same answer."""
    index = shared_services.index
    for text in held_out:
        got = index.scores(text)
        if got is None:
            assert not text.strip()
            continue
        np.testing.assert_allclose(got, index.reference_scores(text), rtol=0, atol=1e-6,
                                   err_msg=text)


def test_retrieval_word_scores_match_scikit_learn(shared_services: Services,
                                                  held_out: list[str]) -> None:
    """The whole-word similarities that pick an entry are scikit-learn's too."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    index = shared_services.index
    vectorizer = TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b\w+\b",
                                 sublinear_tf=True)
    matrix = vectorizer.fit_transform(index._texts)
    for text in held_out:
        expected = linear_kernel(vectorizer.transform([normalize(text)]), matrix)[0]
        np.testing.assert_allclose(index.word_scores(text), expected, rtol=0, atol=1e-6,
                                   err_msg=text)


@pytest.mark.parametrize(("typed", "written"), [
    ("psprt", "paspor"), ("syrt", "syarat"), ("brhnti", "berhenti"), ("lngganan", "langganan"),
])
def test_a_word_without_its_vowels_keeps_the_written_words_skeleton(typed: str,
                                                                     written: str) -> None:
    """The skeleton block sees "psprt" much as "paspor": most of their n-grams are shared."""
    assert skeleton_text(written) in skeleton_text(typed)


def test_the_compacted_vocabulary_scores_as_scikit_learn_does() -> None:
    """The answer index's n-grams are remade after fitting (memory at rest, issue 18): the
    scores must stay those of scikit-learn's TF-IDF with the same settings."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlu.scoring import Analyzer, TfidfMatrix, _compacted

    texts = ["biaya paspor berapa", "cara cek p3mi resmi", "nomor kbri kamboja", "paspor hilang"]
    matrix = TfidfMatrix(texts, Analyzer("char_wb", (2, 4)))
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    rows = vectorizer.fit_transform(texts)
    query = "brp biaya bikin paspor"
    expected = (rows @ vectorizer.transform([query]).T).toarray().ravel()
    assert np.allclose(matrix.scores(query), expected, atol=1e-6)
    unordered = {"b": 2, "a": 0, "c": 1}
    assert _compacted(unordered) == unordered  # another numbering is kept as it is


def test_freed_memory_is_given_back_without_error() -> None:
    from bot.core.memory import release_free_memory

    release_free_memory()  # glibc here; elsewhere a no-op, never an exception
