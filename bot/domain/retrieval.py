"""The long tail: when the NLU is unsure, match against every answer's question variants.

TF-IDF over character n-grams copes with villagers' spelling; a high similarity floor keeps
a vague message from being matched to a confident but wrong answer.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from nlu.normalize import normalize

MIN_SIMILARITY = 0.45


class QuestionIndex:
    """Question variants of every answer, searchable by similarity."""

    def __init__(self, questions: dict[str, tuple[str, ...]]) -> None:
        self._intents = [i for i, qs in questions.items() for _ in qs if i != "out_of_scope"]
        texts = [normalize(q) for i, qs in questions.items() for q in qs if i != "out_of_scope"]
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4),
                                           sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform(texts)

    def best(self, text: str, floor: float = MIN_SIMILARITY) -> str | None:
        """The intent whose question variant is most like `text`, if similar enough."""
        query = normalize(text)
        if not query.strip():
            return None
        scores = linear_kernel(self._vectorizer.transform([query]), self._matrix)[0]
        best = int(scores.argmax())
        return self._intents[best] if scores[best] >= floor else None
