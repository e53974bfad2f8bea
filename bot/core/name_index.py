"""A fuzzy index of place and company names, built once and queried in about a millisecond.

Scanning every name with rapidfuzz costs ~90 ms at 84,000 villages (and 26 s at a million
agencies), so lookups go through two small inverted indexes instead: character n-grams of the
distinct *words* (which words look like the typed word) and words to names (which names contain
those words). Only the few hundred names found that way are scored, with rapidfuzz, so the
similarity itself stays the well-tested library's; the index only decides whom to score.

A query may carry context after the name ("desa kelong bintan", "kelong, bintan pesisir"):
every contiguous run of the typed words is tried as the name, and the words left over are
matched against the item's context (district, regency, province), which breaks ties between
villages of the same name. Everything here is deterministic and independent of the database,
so SQLite and PostgreSQL give the same answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

# Words that say what kind of place follows, not which one.
STOPWORDS = frozenset({
    "desa", "kelurahan", "kel", "ds", "dusun", "kampung", "kp", "gampong", "nagari", "kec",
    "kecamatan", "kab", "kabupaten", "kota", "kotamadya", "prov", "provinsi", "propinsi", "di",
    "dan", "saya", "dari", "kami", "pt", "cv", "tbk", "persero",
})
WORD_CUTOFF = 75  # similarity for "this typed word may be that word" (1 typo in 4 letters)
NAME_CUTOFF = 75  # the name part must be at least this like the item's name
SIMILAR_WORDS = 200  # per typed word, the words sharing most n-grams are compared
MAX_CANDIDATES = 200  # names scored per query, at most
MAX_SPAN = 4  # a name is at most this many words long in a query
SCORED_PAIRS = 2400  # (name part, candidate) pairs scored per query: long queries score fewer
SIMILAR_CACHE = 8192  # typed words whose look-alikes are remembered, per index


# A bracketed note after a name ("Sukamaju (DEMO)", "PT Contoh (Cabang Medan)") qualifies it;
# nobody types it, so it is searched as context: inside the name it sank "sukamju" below the cutoff.
QUALIFIER = re.compile(r"\(([^()]*)\)")


def normalize(text: str) -> str:
    """Lower case ASCII words: accents, punctuation and "Kab."-style dots removed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _normalized(texts: Iterable[str]) -> list[str]:
    """`normalize` of each text, each distinct text once (names and places repeat a lot)."""
    done: dict[str, str] = {}
    return [done[t] if t in done else done.setdefault(t, normalize(t)) for t in texts]


def query_words(text: str, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    """The words of a query that name something (kind words like "desa" dropped)."""
    return [w for w in normalize(text).split() if w not in stopwords]


def _grams(word: str) -> set[str]:
    padded = f" {word} "
    return {padded[i:i + n] for n in (2, 3) for i in range(len(padded) - n + 1)}


class _Postings:
    """key → ids, stored as two numpy arrays (CSR layout), a few bytes per entry."""

    def __init__(self, pairs: dict[str, list[int]] | list[list[int]]) -> None:
        lists = pairs if isinstance(pairs, list) else list(pairs.values())
        self.indptr = np.zeros(len(lists) + 1, dtype=np.int64)
        self.indptr[1:] = np.cumsum([len(x) for x in lists])
        self.indices = np.fromiter(chain.from_iterable(lists), dtype=np.int32,
                                   count=int(self.indptr[-1]))

    def get(self, row: int) -> np.ndarray:
        """The ids stored for one row."""
        return self.indices[self.indptr[row]:self.indptr[row + 1]]


@dataclass(frozen=True)
class Hit:
    """One match: the item's position in the index, and its score (0-100)."""

    position: int
    score: float


class _WordIndex:
    """The distinct words of many texts: which words look like a typed one, and where they are."""

    def __init__(self, texts: Sequence[str]) -> None:
        # 82,503 gazetteer contexts are 7,097 distinct texts: each is split once.
        same: dict[str, list[int]] = {}
        for position, text in enumerate(texts):
            same.setdefault(text, []).append(position)
        vocab: dict[str, int] = {}
        word_items: list[list[int]] = []
        for text, positions in same.items():
            for word in dict.fromkeys(text.split()):
                wid = vocab.setdefault(word, len(vocab))
                if wid == len(word_items):
                    word_items.append([])
                word_items[wid].extend(positions)
        self.words: list[str] = list(vocab)
        self._word_id = vocab
        grams: dict[str, list[int]] = {}
        for wid, word in enumerate(self.words):
            for gram in _grams(word):
                grams.setdefault(gram, []).append(wid)
        self._gram_id = {g: i for i, g in enumerate(grams)}
        self._gram_words = _Postings(grams)
        self._word_items = _Postings(word_items)
        self._similar: dict[str, list[tuple[int, float]]] = {}

    def similar(self, word: str) -> list[tuple[int, float]]:
        """(word id, similarity) of the indexed words that look like `word`, remembered.

        Villagers type the same regencies and villages again and again, so the answer for a
        word is kept (the index never changes; a changed table gets a new index).
        """
        found = self._similar.get(word)
        if found is None:
            if len(self._similar) >= SIMILAR_CACHE:
                self._similar.clear()
            found = self._similar[word] = self._look_alike(word)
        return found

    def _look_alike(self, word: str) -> list[tuple[int, float]]:
        exact = self._word_id.get(word)
        if len(word) <= 3:
            return [(exact, 100.0)] if exact is not None else []
        rows = [self._gram_id[g] for g in _grams(word) if g in self._gram_id]
        if not rows:
            return []
        shared = np.bincount(np.concatenate([self._gram_words.get(r) for r in rows]),
                             minlength=len(self.words))
        count = min(SIMILAR_WORDS, len(self.words))
        best = np.argpartition(-shared, count - 1)[:count]
        best = best[shared[best] > 0]
        # Optimal string alignment: a swap of two letters is one typo ("cnadi" for "candi").
        found = process.extract(word, [self.words[i] for i in best],
                                scorer=OSA.normalized_similarity,
                                score_cutoff=WORD_CUTOFF / 100, limit=None)
        result = {int(best[i]): 100 * score for _, score, i in found}
        if exact is not None:
            result[exact] = 100.0
        return sorted(result.items())

    def scores_like(self, word: str, size: int) -> np.ndarray:
        """For every text: the ratio of its word most like `word` (0 when none is)."""
        out = np.zeros(size, dtype=np.float32)
        for wid, score in self.similar(word):
            rows = self._word_items.get(wid)
            out[rows] = np.maximum(out[rows], score)
        return out


class NameIndex:
    """Names (one per item) with optional context, searchable with typos."""

    def __init__(self, names: Iterable[str], contexts: Iterable[str] | None = None,
                 stopwords: frozenset[str] = STOPWORDS) -> None:
        self.stopwords = stopwords
        raw = list(names)
        contexts = list(contexts) if contexts is not None else [""] * len(raw)
        notes = [" ".join(QUALIFIER.findall(name)) for name in raw]
        self.names: list[str] = _normalized(QUALIFIER.sub(" ", name).strip() or name
                                            for name in raw)
        self.contexts: list[str] = _normalized(f"{context} {note}".strip() if note else context
                                               for context, note in zip(contexts, notes,
                                                                        strict=True))
        self._name_words = _WordIndex(self.names)
        self._context_words = _WordIndex(self.contexts)

    def __len__(self) -> int:
        return len(self.names)

    def search(self, text: str, limit: int = 10) -> list[Hit]:
        """The best matches for `text`, best first; ties by name, then position."""
        words = query_words(text, self.stopwords)[:8]
        if not words:
            return []
        spans = [(a, b) for a in range(len(words))
                 for b in range(a + 1, min(len(words), a + MAX_SPAN) + 1)]
        candidates, per_word = self._candidates(words, max(40, SCORED_PAIRS // len(spans)))
        if candidates.size == 0:
            return []
        names = [self.names[i] for i in candidates]
        span_texts = [" ".join(words[a:b]) for a, b in spans]
        exact = 100 * process.cdist(span_texts, names, scorer=OSA.normalized_similarity,
                                    dtype=np.float32)
        # A name may have words the villager left out ("Air Glubi/Gelubi" for "air glubi"),
        # never the other way round: "groglo sukoharjo" is not the village "Sukoharjo".
        loose = process.cdist(span_texts, names, scorer=fuzz.token_set_ratio, dtype=np.float32)
        fits = (np.array([b - a for a, b in spans])[:, None]
                <= np.array([len(n.split()) for n in names])[None, :])
        name_score = np.maximum(exact, np.where(fits, 0.9 * loose, 0.0))
        context_score = self._context_scores(per_word, spans)
        rest = np.array([len(words) - (b - a) for a, b in spans], dtype=np.float32)[:, None]
        total = np.where(rest > 0, 0.75 * name_score + 0.25 * context_score, name_score)
        total = np.where(name_score >= NAME_CUTOFF, total, 0.0)
        best = np.round(total.max(axis=0), 3)
        keep = np.flatnonzero(best > 0)
        if keep.size > limit:  # only the top `limit` scores, and every item tied with them
            floor = np.partition(best[keep], keep.size - limit)[keep.size - limit]
            keep = keep[best[keep] >= floor]
        order = sorted(keep, key=lambda i: (-best[i], names[i], int(candidates[i])))
        return [Hit(int(candidates[i]), round(float(best[i]), 1)) for i in order[:limit]]

    def candidates(self, text: str) -> np.ndarray:
        """Positions of the items worth scoring for `text` (for callers with own scorers)."""
        words = query_words(text, self.stopwords)[:8]
        return self._candidates(words)[0] if words else np.empty(0, dtype=np.int64)

    def _candidates(self, words: Sequence[str], cap: int = MAX_CANDIDATES
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Candidates, and for each typed word how well their context has it (words x items).

        Candidates are the items whose name has a word like one of `words`, those matching
        most words first. A typed word found in the name counts twice, one found in the
        context once, so "tanjung bintan" keeps the Tanjung of Bintan among 1,000 Tanjungs.
        """
        size = len(self.names)
        in_name = sum((self._name_words.scores_like(w, size) > 0).astype(np.int16)
                      for w in words)
        context = np.stack([self._context_words.scores_like(w, size) if len(w) >= 3
                            else np.zeros(size, dtype=np.float32) for w in words])
        items = np.flatnonzero(in_name)
        cap = min(cap, MAX_CANDIDATES)
        if items.size > cap:
            score = 2 * in_name[items] + (context[:, items] > 0).sum(axis=0)
            items = items[np.argsort(-score, kind="stable")[:cap]]
        return items, context[:, items]

    @staticmethod
    def _context_scores(per_word: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """For each span and item: how well the words outside the span match the context."""
        out = np.zeros((len(spans), per_word.shape[1]), dtype=np.float32)
        for row, (a, b) in enumerate(spans):
            outside = [i for i in range(per_word.shape[0]) if not a <= i < b]
            if outside:
                out[row] = per_word[outside].mean(axis=0)
        return out
