"""BM25 over the facts: which fact's statement (and the questions it answers) fits a question.

Choosing among answers by their question variants finds the topic; the fact asked for is found
by scoring every fact's own words: its statement, the words of its id, and the question
variants of the written entries that answer with it. Facts that share one statement (the same
sentence sourced twice) are one document. BM25 weighs a rare word of the question ("myawaddy",
"splp") above a common one ("pmi") and does not reward a long statement for its length; a
question's focus (focus.py) keeps only the facts whose value is of the asked kind.

Per message this is a few array additions over ~500 documents, like `WordCover`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bot.core.arrays import percentile
from bot.domain.answers.focus import ACCEPTS
from bot.domain.answers.wording import normalized_tokens, tokens

K1 = 1.2
B = 0.5  # statements are one or two sentences; length says little about relevance
PREFIX = 5  # "dipulangkan" ~ "dipulangkannya" (as in wording.py)
# a word no fact holds (a typo, or another subject: "dikunci", "bola") weighs against the
# share like a word of middling rarity: "tolong adek di myanmar dikunci" is not a statistic
UNKNOWN_QUANTILE = 50
# words that ask for a name ("apa namanya", "singkatannya") say what kind of value is asked
# (focus.py), not what it is about; rare in the statements, they weighed like a subject word
LOOSE_SHARE = 0.6  # a statement naming something, of another kind: most of the question
ASKING = frozenset({"nama", "singk", "kepan"})  # their first `PREFIX` letters


def _terms(words: list[str]) -> list[str]:
    """Words cut to their first `PREFIX` letters: villagers' suffixes differ from the sources'."""
    return [w if w[0].isdigit() else w[:PREFIX] for w in words]


@dataclass(frozen=True)
class FactDoc:
    """One statement: the facts that state it, its text to search and its values' kinds."""

    facts: tuple[str, ...]
    text: str
    kinds: frozenset[str]
    values: frozenset[str] = frozenset()  # the facts' values: two statements of one value agree
    names: bool = False  # the statement names someone or something (focus.names_something)


@dataclass(frozen=True)
class Found:
    """The scores of one question against every document (in `FactSearch.docs` order).

    `share`: each document's score over the best a document could reach for the question's
    known words (1.0: every word, as often as in the document that holds it most); `known`,
    how many of the question's words some fact holds; `unknown`, how many no fact holds.
    """

    scores: np.ndarray
    share: np.ndarray
    allowed: np.ndarray  # bool: the document's value is of the kind asked (all: no focus)
    known: int
    unknown: int
    loose: bool = False  # statements naming something were allowed (`FactSearch.search`)

    def ranked(self, count: int = 2) -> list[int]:
        """The rows of the `count` best-scoring allowed documents that score at all."""
        masked = np.where(self.allowed, self.scores, -1.0)
        top = np.argsort(-masked)[:count]
        return [int(r) for r in top if masked[r] > 0]


class FactSearch:
    """BM25 over fact documents, built once at load."""

    def __init__(self, docs: list[FactDoc]) -> None:
        self.docs = docs
        self.row_of = {f: row for row, doc in enumerate(docs) for f in doc.facts}
        counted = [_terms(tokens(doc.text)) for doc in docs]
        lengths = np.array([len(c) for c in counted], float)
        average = float(lengths.mean()) if len(lengths) else 1.0
        holding: dict[str, dict[int, int]] = {}
        for row, words in enumerate(counted):
            for word in words:
                holding.setdefault(word, {}).setdefault(row, 0)
                holding[word][row] += 1
        n = max(len(docs), 1)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for word, rows in holding.items():
            idf = math.log(1 + (n - len(rows) + 0.5) / (len(rows) + 0.5))
            at = np.fromiter(rows, np.int32)
            tf = np.fromiter(rows.values(), float)
            weight = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[at] / average))
            self._postings[word] = (at, weight)
        self._unknown = (percentile([w.max() for _, w in self._postings.values()],
                                    UNKNOWN_QUANTILE) if self._postings else 1.0)
        self._last: tuple[tuple[str, str | None, bool], Found] | None = None
        self._kinds = {kind: np.array([bool(doc.kinds & ACCEPTS[kind]) for doc in docs], bool)
                       for kind in ACCEPTS}
        self._names = np.array([doc.names for doc in docs], bool)

    def search(self, normalized: str, kind: str | None, loose: bool = False) -> Found:
        """Score a normalised question against every document.

        `loose`: a question asking for a name or a link also accepts a statement that names
        something, whatever its value's kind, when it holds `LOOSE_SHARE` of the question:
        capitalised words are in most statements ("daftar paspor online pakai aplikasi apa"
        is not answered by the statement naming SIAPkerja, which shares "daftar ... aplikasi").
        The last question's scores are kept: choosing the answer and naming the asked fact's
        source (asked.py) ask for the same question one after the other.
        """
        key = (normalized, kind, loose)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        found = self._search(normalized, kind, loose)
        self._last = (key, found)
        return found

    def _search(self, normalized: str, kind: str | None, loose: bool) -> Found:
        """`search` without the cache."""
        size = len(self.docs)
        scores = np.zeros(size)
        best_total = 0.0
        known = unknown = 0
        for word in dict.fromkeys(_terms(normalized_tokens(normalized))):
            if (word.isdigit() and len(word) < 3) or word in ASKING:
                continue  # "3 bulan", "umur 17": context, not a figure asked for
            posting = self._postings.get(word)
            if posting is None:
                unknown += 1
                continue
            known += 1
            rows, weight = posting
            scores[rows] += weight
            best_total += float(weight.max())
        best_total += unknown * self._unknown
        share = scores / best_total if best_total else scores
        allowed = self._kinds[kind] if kind else np.ones(size, bool)
        if loose:  # a statement naming something, when it fits closely (`search`)
            allowed = allowed | (self._names & (share >= LOOSE_SHARE))
        return Found(scores, share, allowed, known, unknown, loose)
