"""Matching a message against question variants: each intent's and each entry's.

The index holds the general variants of every intent and those of every question-level
entry (labelled "intent#entry"). Two uses: when the NLU is unsure, the best variant of any
answer (the long tail); when it is sure, the best variant within the recognised intent, which
picks the entry that answers the question asked, or the intent's general answer when a
general variant fits best. TF-IDF over character n-grams copes with villagers' spelling;
similarity floors keep a vague message from being matched to a confident but wrong answer.
"""

from __future__ import annotations

import numpy as np

from bot.domain.answers.book import AnswerBook
from bot.domain.answers.factentries import is_generated
from bot.domain.answers.wording import WordCover, asks_for_figure, figures
from nlu.normalize import normalize
from nlu.scoring import Analyzer, TfidfMatrix

CHARS = Analyzer("char_wb", (2, 4))
WORDS = Analyzer("word", (1, 1), r"(?u)\b\w+\b")

MIN_SIMILARITY = 0.45
ENTRY_SIMILARITY = 0.3  # within the recognised intent the NLU has already narrowed it down
GENERAL_MARGIN = 0.03  # an entry replaces the general answer only when it fits better
STRONG_SIMILARITY = 0.45  # an entry of another intent this close (words and letters) ...
STRONG_MARGIN = 0.1  # ... and this much closer than anything in the NLU's intent wins
# a person in danger, a report or an offer to check gets its own answer, never a statistic
KEEP_INTENTS = frozenset({"emergency_help", "report_tip", "offer_check", "agency_check",
                          "quiz_start", "subscribe", "unsubscribe"})
FACT_COVER = 0.6  # a fact's statement holding this share of the question's words ...
COVER_MARGIN = 0.2  # ... and this much more than the chosen answer's text answers instead
UNSURE_COVER = 0.75  # when nothing else is close: most of the question's words, in one fact


def entry_label(intent: str, entry: str) -> str:
    """The label of an entry's variants in the index."""
    return f"{intent}#{entry}"


def split_label(label: str) -> tuple[str, str | None]:
    """(intent, entry id or None for the intent's general answer)."""
    intent, _, entry = label.partition("#")
    return intent, entry or None


class QuestionIndex:
    """Question variants of every answer and entry, searchable by similarity."""

    @classmethod
    def for_book(cls, book: AnswerBook) -> QuestionIndex:
        """Every intent's general variants and every entry's variants."""
        questions: dict[str, tuple[str, ...]] = {}
        texts: dict[str, str] = {}
        shorts: dict[str, str] = {}
        for intent, answer in book.answers.items():
            shorts[intent] = answer.text.short
            questions[intent] = answer.questions
            texts[intent] = "\n".join((answer.text.short, *answer.questions))
            for entry in answer.entries.values():
                questions[entry_label(intent, entry.id)] = entry.questions
                texts[entry_label(intent, entry.id)] = "\n".join((entry.text.short,
                                                                  *entry.questions))
                shorts[entry_label(intent, entry.id)] = entry.text.short
        for entry in book.generated.values():  # matched by coverage only (wording.py)
            texts[entry_label(entry.intent, entry.id)] = "\n".join(entry.questions)
            # the figures a fact entry answers are its facts' values (its statement's, else)
            values = "\n".join(book.fact_values(entry))
            shorts[entry_label(entry.intent, entry.id)] = (
                values if figures(values) else entry.text.short)
        return cls(questions, texts, shorts)

    def __init__(self, questions: dict[str, tuple[str, ...]],
                 texts: dict[str, str] | None = None,
                 shorts: dict[str, str] | None = None) -> None:
        # what each answer says (its short text and variants): is the thing asked in it?
        self._cover = WordCover(texts) if texts else None
        self._figures = {label: figures(text) for label, text in (shorts or {}).items()}
        self._facts = [label for label in (texts or {}) if is_generated(split_label(label)[1]
                                                                         or "")]
        self._intents = [i for i, qs in questions.items() for _ in qs if i != "out_of_scope"]
        self._texts = [normalize(q) for i, qs in questions.items() for q in qs
                       if i != "out_of_scope"]
        # TF-IDF fitted without scikit-learn (nlu/scoring.py: importing it costs the bot
        # ~95 MiB) and stored feature by feature: one query is scored in ~0.1 ms.
        self._chars = TfidfMatrix(self._texts, CHARS)
        # Whole words too, for choosing an entry: "bangkok" or "kp2mi" decides between two
        # questions that share most of their letters ("nomor wa kbri ... berapa").
        self._words = TfidfMatrix(self._texts, WORDS)

    def best(self, text: str, floor: float = MIN_SIMILARITY) -> str | None:
        """The intent whose question variant is most like `text`, if similar enough."""
        scores = self.scores(text)
        if scores is None:
            return None
        best = int(scores.argmax())
        if scores[best] >= floor:
            hit = self._intents[best]
            return self._fact_for(text, hit, FACT_COVER) or hit
        return self._fact_for(text, None, UNSURE_COVER)

    def _fact_for(self, text: str, chosen: str | None, floor: float) -> str | None:
        """A fact's entry whose statement holds much more of the question than `chosen`.

        `chosen` is the label picked by similarity (None: nothing was); a fact wins only
        with `floor` of the question's informative words, two of them at least.
        """
        if self._cover is None or not self._facts or self._cover.known(text) < 2:
            return None
        if not asks_for_figure(text) or (chosen and split_label(chosen)[0] in KEEP_INTENTS):
            return None  # "adik saya dikunci di myanmar" needs help, not a statistic
        label, value = self._cover.best(text, self._facts)
        if label is None or value < floor:
            return None
        if chosen is not None and (value < self._cover.cover(text, chosen) + COVER_MARGIN
                                   or self._same_figures(label, chosen)):
            return None  # the chosen answer is as close, or already states its figures
        return label

    def _same_figures(self, fact: str, chosen: str) -> bool:
        """True when `chosen`'s short text states half or more of the fact's figures."""
        own = self._figures.get(fact, set())
        return bool(own) and 2 * len(own & self._figures.get(chosen, set())) >= len(own)

    def within(self, text: str, intent: str) -> str | None:
        """The label that answers `text` once the NLU is sure of `intent` (None: general).

        A fact's statement that holds clearly more of the question's words than the answer
        chosen by similarity answers instead: the chosen one shares the topic, not the figure.
        """
        label = self._within(text, intent)
        if label is not None and is_generated(split_label(label)[1] or ""):
            return label
        return self._fact_for(text, label or intent, FACT_COVER) or label

    def _within(self, text: str, intent: str) -> str | None:
        """The label that answers `text` once the NLU is sure of `intent`.

        The best variant of the intent decides: an entry's (if similar enough) or a general
        one (None: the general answer). An entry of another intent wins only when it is much
        closer than anything in `intent`: the NLU had the topic, the entry has the question.
        """
        scores = self.scores(text)
        if scores is None or not len(scores):
            return None
        scores = (scores + self.word_scores(text)) / 2
        inside = np.array([split_label(label)[0] == intent for label in self._intents])
        best_inside = int(np.where(inside, scores, -1).argmax())
        best_any = int(scores.argmax())
        if (split_label(self._intents[best_any])[1] and not inside[best_any]
                and scores[best_any] >= STRONG_SIMILARITY
                and scores[best_any] - scores[best_inside] >= STRONG_MARGIN):
            return self._intents[best_any]
        general = np.array([inside[i] and not split_label(label)[1]
                            for i, label in enumerate(self._intents)])
        best_general = float(scores[general].max()) if general.any() else 0.0
        label = self._intents[best_inside]
        if (split_label(label)[1] and scores[best_inside] >= ENTRY_SIMILARITY
                and scores[best_inside] >= best_general + GENERAL_MARGIN):
            return label
        return None

    def scores(self, text: str) -> np.ndarray | None:
        """Cosine similarity of `text` to every question variant (None for empty text)."""
        query = normalize(text)
        if not query.strip():
            return None
        return self._chars.scores(query)

    def word_scores(self, text: str) -> np.ndarray:
        """Cosine similarity of `text`'s words to every question variant's."""
        return self._words.scores(normalize(text))

    def reference_scores(self, text: str) -> np.ndarray:
        """The same character scores computed by scikit-learn (for the tests only)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.metrics.pairwise import linear_kernel

        if "_reference" not in self.__dict__:
            vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4),
                                         sublinear_tf=True)
            self._reference = (vectorizer, vectorizer.fit_transform(self._texts))
        vectorizer, matrix = self._reference
        return linear_kernel(vectorizer.transform([normalize(text)]), matrix)[0]
