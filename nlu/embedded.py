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
ENGINE_VERSION = "1"


class EmbeddedEngine:
    """Intent classifier plus entity extractor, trained from Rasa training data."""

    def __init__(self, pipeline: Pipeline, extractor: EntityExtractor, vocabulary: set[str],
                 threshold: float = FALLBACK_THRESHOLD) -> None:
        self.pipeline = pipeline
        self.extractor = extractor
        self.vocabulary = vocabulary
        self.threshold = threshold
        self.labels: list[str] = list(pipeline.classes_)

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
        return cls(pipeline, EntityExtractor(data), vocabulary)

    def parse(self, text: str) -> dict[str, Any]:
        """Classify one message; the result has Rasa's parse shape."""
        normalized = normalize(text)
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

    def _familiar(self, normalized: str) -> bool:
        """Gibberish shares no word with the training data; it must not get an intent."""
        words = [w for w in normalized.split() if w.isalpha()]
        return not words or any(w in self.vocabulary for w in words)


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
