"""The embedded NLU engine: TF-IDF features and logistic regression from scikit-learn.

It learns from the same Rasa YAML as a Rasa server, answers in the shape of Rasa's
`POST /model/parse`, and is cached on disk under a key made of the training data's hash, so
the bot starts in well under a second once the model has been trained.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import Any

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.entities import EntityExtractor
from nlu.normalize import normalize
from nlu.scoring import LinearScorer
from nlu.training import TrainingData

log = logging.getLogger(__name__)

FALLBACK_THRESHOLD = 0.35  # below this probability the answer is out_of_scope (nlu/README.md)
ENGINE_VERSION = "2"
VOWELS = frozenset("aeiou")
MIN_RESTORED = 3  # shorter tokens ("lm", "sj") are too ambiguous to restore


class EmbeddedEngine:
    """Intent classifier plus entity extractor, trained from Rasa training data."""

    def __init__(self, pipeline: Pipeline, extractor: EntityExtractor, vocabulary: set[str],
                 threshold: float = FALLBACK_THRESHOLD,
                 skeletons: dict[str, str] | None = None) -> None:
        self.pipeline = pipeline
        self.extractor = extractor
        self.vocabulary = vocabulary
        self.threshold = threshold
        self.labels: list[str] = list(pipeline.classes_)
        self.skeletons = skeletons or {}

    @classmethod
    def train(cls, data: TrainingData) -> EmbeddedEngine:
        """Fit on every example of `data`."""
        texts = [normalize(e.text) for e in data.examples]
        intents = [e.intent for e in data.examples]
        features = FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                      min_df=2)),
        ])
        pipeline = Pipeline([
            ("features", features),
            ("classifier", LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced")),
        ])
        pipeline.fit(texts, intents)
        vocabulary = {w for t in texts for w in t.split()}
        return cls(pipeline, EntityExtractor(data), vocabulary,
                   skeletons=skeleton_index(t.split() for t in texts))

    def parse(self, text: str) -> dict[str, Any]:
        """Classify one message; the result has Rasa's parse shape."""
        normalized = self.restore_vowels(normalize(text))
        ranking = self._ranking(normalized)
        best = ranking[0]
        if best["confidence"] < self.threshold or not self._familiar(normalized):
            best = {"name": "out_of_scope", "confidence": round(1 - best["confidence"], 4)}
        return {
            "text": text,
            "intent": best,
            "intent_ranking": ranking[:10],
            "entities": self.extractor.extract(text),
        }

    def _ranking(self, normalized: str) -> list[dict[str, Any]]:
        if not normalized.strip():
            return [{"name": "out_of_scope", "confidence": 1.0}]
        probabilities = self.scorer.probabilities(normalized)
        order = probabilities.argsort()[::-1]
        return [{"name": self.labels[i], "confidence": round(float(probabilities[i]), 4)}
                for i in order]

    @property
    def scorer(self) -> LinearScorer:
        """Built on first use, so cached models pickled before it existed still load."""
        scorer = self.__dict__.get("_scorer")
        if scorer is None:
            scorer = self.__dict__["_scorer"] = LinearScorer(self.pipeline)
        return scorer

    def __getstate__(self) -> dict[str, Any]:
        """The scorer is derived from the pipeline; it is not stored in the cache."""
        return {k: v for k, v in self.__dict__.items() if k != "_scorer"}

    def restore_vowels(self, normalized: str) -> str:
        """Unknown words with only vowels missing become the training word ("plsu" -> "palsu").

        Villagers drop vowels ("lwongan", "brhnti lngganan") in more ways than any lexicon
        lists. A word that is unknown, and whose consonants in order are exactly those of one
        training word it is a subsequence of, is that word; ambiguous ones stay as typed.
        """
        index = self.__dict__.get("skeletons") or {}
        return " ".join(_restore(token, index) if token not in self.vocabulary else token
                        for token in normalized.split())

    def _familiar(self, normalized: str) -> bool:
        """Gibberish shares no word with the training data; it must not get an intent."""
        words = [w for w in normalized.split() if w.isalpha()]
        return not words or any(w in self.vocabulary for w in words)


def consonants(word: str) -> str:
    """The word without its vowels: the part villagers keep when they abbreviate."""
    return "".join(ch for ch in word if ch not in VOWELS)


def skeleton_index(token_lists: Any) -> dict[str, str]:
    """Consonant skeleton -> the one training word that has it (ambiguous skeletons dropped)."""
    by_skeleton: dict[str, set[str]] = {}
    for tokens in token_lists:
        for word in tokens:
            if word.isalpha() and len(word) > MIN_RESTORED and set(word) & VOWELS:
                by_skeleton.setdefault(consonants(word), set()).add(word)
    return {sk: next(iter(words)) for sk, words in by_skeleton.items() if len(words) == 1}


def _restore(token: str, index: dict[str, str]) -> str:
    if not token.isalpha() or len(token) < MIN_RESTORED:
        return token
    word = index.get(consonants(token))
    if word is None or word[0] != token[0] or not _subsequence(token, word):
        return token
    return word


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def cache_key(data: TrainingData) -> str:
    """Retrain when the data, this engine or scikit-learn changes."""
    raw = f"{data.fingerprint}:{ENGINE_VERSION}:{sklearn.__version__}:{FALLBACK_THRESHOLD}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def load_or_train(data: TrainingData, cache_dir: Path | None) -> EmbeddedEngine:
    """Load the cached model for this data, or train and cache it.

    Several bot workers start at once on a fresh cache: a lock file makes one of them train
    while the others wait and then load its model, instead of all training and racing to
    rename the same temporary file (which made a worker fail to start).
    """
    if cache_dir is None:
        return EmbeddedEngine.train(data)
    path = cache_dir / f"embedded-{cache_key(data)}.pickle"
    engine = _load_cached(path)
    if engine is not None:
        return engine
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, or the process dies
        engine = _load_cached(path)  # trained by another process while we waited
        if engine is None:
            engine = EmbeddedEngine.train(data)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(engine, fh)
            tmp.replace(path)  # atomic: a crash never leaves half a model behind
    return engine


def _load_cached(path: Path) -> EmbeddedEngine | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        log.warning("NLU cache %s unreadable (%s); retraining", path, exc)
        return None
