"""Intent probabilities for one message without scikit-learn's per-call machinery.

`Pipeline.predict_proba` on a single message spends about 2.5 ms in input validation, joblib
set-up for the FeatureUnion and sparse-matrix bookkeeping, and only a few microseconds in the
arithmetic. The bot classifies one message at a time, hundreds a second during a campaign, so
this module reads the fitted vectorizers and the classifier once and redoes the same arithmetic
(TF-IDF with sublinear tf and l2 norm per vectorizer, then a softmax over the linear scores)
with plain dictionaries and NumPy. It is checked against `predict_proba` in the tests.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline


class TfidfBlock:
    """One fitted TF-IDF vectorizer: its analyzer, vocabulary, idf and column offset."""

    def __init__(self, vectorizer: TfidfVectorizer, offset: int) -> None:
        if vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary:
            raise ValueError("only l2-normalised TF-IDF vectorizers are supported")
        self.analyze: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = vectorizer.idf_
        self.sublinear = vectorizer.sublinear_tf
        self.offset = offset

    def features(self, text: str) -> tuple[list[int], list[float]]:
        """Column indices and l2-normalised TF-IDF weights of `text`."""
        counts = Counter(i for t in self.analyze(text)
                         if (i := self.vocabulary.get(t)) is not None)
        columns = list(counts)
        weights = [(1.0 + math.log(n) if self.sublinear else float(n)) * self.idf[i]
                   for i, n in counts.items()]
        norm = math.sqrt(sum(w * w for w in weights))
        if norm:
            weights = [w / norm for w in weights]
        return [self.offset + c for c in columns], weights


class LinearScorer:
    """Probabilities of a FeatureUnion(TF-IDF...) + multinomial LogisticRegression pipeline."""

    def __init__(self, pipeline: Pipeline) -> None:
        union, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
        if not isinstance(classifier, LogisticRegression) or len(classifier.classes_) < 3:
            raise ValueError("a multinomial LogisticRegression is expected")
        self.blocks: list[TfidfBlock] = []
        offset = 0
        for _name, vectorizer in union.transformer_list:
            self.blocks.append(TfidfBlock(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        self.weights = np.ascontiguousarray(classifier.coef_.T)  # features x classes
        self.intercept = classifier.intercept_.copy()

    def probabilities(self, text: str) -> np.ndarray:
        """Same values as `pipeline.predict_proba([text])[0]`."""
        scores = self.intercept.copy()
        for block in self.blocks:
            columns, weights = block.features(text)
            if columns:
                scores += np.asarray(weights) @ self.weights[columns]
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()
