"""TF-IDF vectors and intent probabilities with plain dictionaries and NumPy, no scikit-learn.

scikit-learn trains the intent model (`nlu/embedded.py`), but the bot must not import it:
scikit-learn with SciPy costs a process about 95 MiB of resident memory (`benchmarks/
nlu_memory.py`), more than the whole model, and `Pipeline.predict_proba` on one message spends
about 2.5 ms in input validation and joblib set-up around a few microseconds of arithmetic.
So the fitted vectorizers and classifier are copied once into the classes below (vocabulary,
idf, weights as float32), which redo the same arithmetic: the same n-grams as scikit-learn's
"word" and "char_wb" analyzers, TF-IDF with sublinear tf and l2 norm per vectorizer, then a
softmax over the linear scores. The answer search (`bot/domain/answers/retrieval.py`) fits
its TF-IDF here too. The tests check both against scikit-learn.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

WORD_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default token_pattern
_WHITE_SPACES = re.compile(r"\s\s+")
_INNER_VOWELS = re.compile(r"(?<=\w)[aeiou]+")
_DOUBLED = re.compile(r"([^\W\d_])\1+")


def skeleton_text(text: str) -> str:
    """Every word lowercased, without its vowels after the first letter, doubles collapsed.

    Villagers drop vowels in more ways than the lexicon or the vowel restoration can list
    ("psprt", "syrt", "pngaduan"): their skeletons ("psprt", "syrt", "pngdn") share most
    character n-grams with the skeletons of the written words ("pspr", "syrt", "pngdn"),
    while the written words' own n-grams barely overlap with them.
    """
    return _DOUBLED.sub(r"\1", _INNER_VOWELS.sub("", text.lower()))


@lru_cache(maxsize=8)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class Analyzer:
    """scikit-learn's "word" or "char_wb" analyzer (lowercase, no stop words), reimplemented."""

    kind: str
    ngram_range: tuple[int, int]
    token_pattern: str = WORD_PATTERN
    skeleton: bool = False  # the vectorizer's preprocessor is `skeleton_text`

    def __call__(self, text: str) -> list[str]:
        """The n-grams scikit-learn would count for `text`, in its order."""
        text = skeleton_text(text) if self.skeleton else text.lower()
        low, high = self.ngram_range
        if self.kind == "char_wb":
            grams = []
            for word in _WHITE_SPACES.sub(" ", text).split():
                word = f" {word} "
                for n in range(low, high + 1):
                    grams.extend(word[i:i + n] for i in range(max(1, len(word) - n + 1)))
                    if len(word) <= n:  # a short word is counted once, as scikit-learn does
                        break
            return grams
        tokens = _compiled(self.token_pattern).findall(text)
        grams = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high, len(tokens)) + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams


def analyzer_of(vectorizer: Any) -> Analyzer:
    """The Analyzer of a fitted TfidfVectorizer; ValueError for settings it cannot copy."""
    if (vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary
            or not vectorizer.lowercase or vectorizer.stop_words is not None
            or vectorizer.preprocessor not in (None, skeleton_text)
            or vectorizer.tokenizer is not None
            or vectorizer.strip_accents is not None
            or vectorizer.analyzer not in ("word", "char_wb")):
        raise ValueError("only l2-normalised, lowercased (or skeleton) TF-IDF word/char_wb "
                         "vectorizers are supported")
    return Analyzer(vectorizer.analyzer, tuple(vectorizer.ngram_range),
                    vectorizer.token_pattern or WORD_PATTERN,
                    vectorizer.preprocessor is skeleton_text)


class TfidfBlock:
    """One TF-IDF vectorizer: its analyzer, vocabulary, idf and column offset."""

    def __init__(self, analyzer: Analyzer, vocabulary: dict[str, int], idf: np.ndarray,
                 sublinear: bool = True, offset: int = 0) -> None:
        self.analyze = analyzer
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self.sublinear = sublinear
        self.offset = offset

    @classmethod
    def from_vectorizer(cls, vectorizer: Any, offset: int = 0) -> TfidfBlock:
        """Copy a fitted scikit-learn TfidfVectorizer."""
        vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
        return cls(analyzer_of(vectorizer), vocabulary, vectorizer.idf_,
                   vectorizer.sublinear_tf, offset)

    @classmethod
    def fit(cls, texts: list[str], analyzer: Analyzer) -> tuple[TfidfBlock, list[Counter]]:
        """Fit like TfidfVectorizer(sublinear_tf=True) with smooth idf; also each text's counts."""
        counts = [Counter(analyzer(t)) for t in texts]
        vocabulary: dict[str, int] = {}
        df: Counter = Counter()
        for row in counts:
            for gram in row:
                vocabulary.setdefault(gram, len(vocabulary))
                df[gram] += 1
        frequency = np.array([df[g] for g in vocabulary], dtype=np.float64)
        idf = np.log((1 + len(texts)) / (1 + frequency)) + 1.0
        return cls(analyzer, vocabulary, idf), counts

    def weigh(self, counts: Counter) -> tuple[list[int], list[float]]:
        """Column indices and l2-normalised TF-IDF weights of known n-gram counts."""
        known = [(i, n) for g, n in counts.items() if (i := self.vocabulary.get(g)) is not None]
        weights = [(1.0 + math.log(n) if self.sublinear else float(n)) * self.idf[i]
                   for i, n in known]
        norm = math.sqrt(sum(w * w for w in weights))
        if norm:
            weights = [w / norm for w in weights]
        return [self.offset + i for i, _ in known], weights

    def features(self, text: str) -> tuple[list[int], list[float]]:
        """Column indices and l2-normalised TF-IDF weights of `text`."""
        return self.weigh(Counter(self.analyze(text)))


def _compacted(vocabulary: dict[str, int]) -> dict[str, int]:
    """The same vocabulary in newly made strings and numbers, allocated side by side.

    `TfidfBlock.fit` numbers n-grams in insertion order (0, 1, 2, ...): `range` makes the
    numbers anew; any other numbering is kept as it is.
    """
    keys = [(" " + gram)[1:] for gram in vocabulary]
    if list(vocabulary.values()) != list(range(len(keys))):
        return dict(zip(keys, vocabulary.values(), strict=True))
    return dict(zip(keys, range(len(keys)), strict=True))


class TfidfMatrix:
    """Documents as TF-IDF rows, stored feature by feature for one-query cosine scores."""

    def __init__(self, texts: list[str], analyzer: Analyzer) -> None:
        self.block, counts = TfidfBlock.fit(texts, analyzer)
        parts: list[tuple[np.ndarray, np.ndarray]] = []  # per row: small arrays, not objects
        for row_counts in counts:
            cols, weights = self.block.weigh(row_counts)
            parts.append((np.asarray(cols, dtype=np.int32), np.asarray(weights, np.float32)))
        del counts
        columns = np.concatenate([c for c, _ in parts]) if parts else np.zeros(0, np.int32)
        values = np.concatenate([v for _, v in parts]) if parts else np.zeros(0, np.float32)
        rows = np.repeat(np.arange(len(parts), dtype=np.int32), [len(c) for c, _ in parts])
        order = np.lexsort((rows, columns))
        self.rows, self.values = rows[order], values[order]
        per_feature = np.bincount(columns, minlength=len(self.block.vocabulary))
        self.starts = np.concatenate([[0], np.cumsum(per_feature)]).astype(np.int64)
        self.documents = len(texts)
        # The n-grams were made while counting, among millions of short-lived objects that
        # are gone now; kept as they are, each pins a block of memory that the counting left
        # otherwise empty (the answer index held ~14 MiB more at rest than it uses).
        self.block.vocabulary = _compacted(self.block.vocabulary)

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of `text` to every document."""
        out = np.zeros(self.documents)
        columns, weights = self.block.features(text)
        for column, weight in zip(columns, weights, strict=True):
            start, end = self.starts[column], self.starts[column + 1]
            out[self.rows[start:end]] += weight * self.values[start:end]
        return out


class LinearScorer:
    """Probabilities of TF-IDF blocks followed by a multinomial logistic regression."""

    def __init__(self, blocks: list[TfidfBlock], weights: np.ndarray,
                 intercept: np.ndarray) -> None:
        self.blocks = blocks
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)  # features x classes
        self.intercept = np.asarray(intercept, dtype=np.float64)

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearScorer:
        """Copy a fitted Pipeline(FeatureUnion(TfidfVectorizer...), LogisticRegression)."""
        union, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
        if type(classifier).__name__ != "LogisticRegression" or len(classifier.classes_) < 3:
            raise ValueError("a multinomial LogisticRegression is expected")
        blocks, offset = [], 0
        for _name, vectorizer in union.transformer_list:
            blocks.append(TfidfBlock.from_vectorizer(vectorizer, offset))
            offset += len(vectorizer.vocabulary_)
        return cls(blocks, classifier.coef_.T, classifier.intercept_)

    def probabilities(self, text: str) -> np.ndarray:
        """Same values as `pipeline.predict_proba([text])[0]` (to float32 rounding)."""
        scores = self.intercept.copy()
        for block in self.blocks:
            columns, weights = block.features(text)
            if columns:
                scores += np.asarray(weights) @ self.weights[columns]
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()
