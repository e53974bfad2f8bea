"""Matching a message against question variants: each intent's and each entry's.

The index holds the general variants of every intent and those of every question-level
entry (labelled "intent#entry"). Two uses: when the NLU is unsure, the best variant of any
answer (the long tail); when it is sure, the best variant within the recognised intent, which
picks the entry that answers the question asked, or the intent's general answer when a
general variant fits best. TF-IDF over character n-grams copes with villagers' spelling;
similarity floors keep a vague message from being matched to a confident but wrong answer.

The registry facts' generated entries (factentries.py: a statement and its `asked:` lines)
have variants too, in an index of their own: written variants are matched first, and only when
they lead to an intent's general answer (or to nothing) are the generated ones matched too, so
a written entry is never displaced by a statement of the same topic. Measured on the fact
sets, a margin for generated variants over written ones in one index cost written answers on
_6, _7a and _8 whatever the margin (0 to 0.1); this rule cost none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from bot.domain.answers.asked import FactChooser
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.factentries import is_generated
from bot.domain.answers.focus import focus
from bot.domain.answers.wording import ASKS_RE, MIN_WEIGHT, Asked, WordCover, figures
from bot.domain.content.sources import Source
from nlu.normalize import normalize
from nlu.scoring import Analyzer, TfidfMatrix

CHARS = Analyzer("char_wb", (2, 4))
WORDS = Analyzer("word", (1, 1), r"(?u)\b\w+\b")

MIN_SIMILARITY = 0.45
# the NLU found the message off-topic: letters in common with a variant must be many more
# ('berapa harga cabai hari ini' shares 'berapa ... hari' with the passport fee questions;
# on the NLU sets 85 of 345 off-topic messages got a topic's answer at 0.45, 30 at 0.6)
OFF_TOPIC_SIMILARITY = 0.6
ENTRY_SIMILARITY = 0.3  # within the recognised intent the NLU has already narrowed it down
GENERAL_MARGIN = 0.03  # an entry replaces the general answer only when it fits better
STRONG_SIMILARITY = 0.45  # an entry of another intent this close (words and letters) ...
STRONG_MARGIN = 0.1  # ... and this much closer than anything in the NLU's intent wins
# a person in danger, a report or an offer to check gets its own answer, never a statistic
KEEP_INTENTS = frozenset({"emergency_help", "report_tip", "offer_check", "agency_check",
                          "quiz_start", "subscribe", "unsubscribe"})
FACT_COVER = 0.6  # a fact's statement holding this share of the question's words ...
COVER_MARGIN = 0.2  # ... and this much more than the chosen answer's text answers instead
WHOLE_COVER = 0.999  # ... or all of them, when the chosen answer's text lacks one
UNSURE_COVER = 0.75  # when nothing else is close: most of the question's words, in one fact
# a question without a figure word: most of its words in one entry, a rare one among them
DISTINCT_COVER = 0.75
DISTINCT_WEIGHT = 9.0  # the words shared weigh this much (MIN_WEIGHT: 7.0)
RARE_WEIGHT = 3.5  # ... one of them in at most ~1 text of 30
CROSS_WORDS = 4  # words a written entry of another intent must share with a figure question
UNKNOWN_WEIGHT = 4.0  # a word no answer holds, when it counts against the share: a rare one
# a villager's message that starts a dialogue: never replaced by a fact's answer
FEATURES = frozenset({"offer_check", "quiz_start", "subscribe", "unsubscribe"})
# A greeting, a thank-you or a question about the bot, when the NLU is sure of it, is answered
# as such: "makasih ya infonya membantu" shares "terima" with a fact's "jangan diterima", and a
# villager who says thanks must not get a warning about recruiters' tips.
SOCIAL = frozenset({"greet", "goodbye", "thanks", "bot_help"})
OFF_TOPIC_SHARE = 0.65  # the NLU found it off-topic and no variant is close: a close fact


YEAR_RE = re.compile(r"\b(?:19[5-9]\d|20[0-3]\d)\b")
WHEN_RE = re.compile(r"\b(?:sejak|kapan|mulai)\b|\btahun berapa\b|\bdari tahun\b")


def entry_label(intent: str, entry: str) -> str:
    """The label of an entry's variants in the index."""
    return f"{intent}#{entry}"


def split_label(label: str) -> tuple[str, str | None]:
    """(intent, entry id or None for the intent's general answer)."""
    intent, _, entry = label.partition("#")
    return intent, entry or None


class Variants:
    """Question variants of answers, scored by letters and by words."""

    def __init__(self, questions: dict[str, tuple[str, ...]]) -> None:
        self.intents = [i for i, qs in questions.items() for _ in qs if i != "out_of_scope"]
        self.texts = [normalize(q) for i, qs in questions.items() for q in qs
                      if i != "out_of_scope"]
        # per variant, once: its intent and whether it is a general one (not per message)
        self.intent_of = np.array([split_label(label)[0] for label in self.intents])
        self.is_general = np.array([split_label(label)[1] is None for label in self.intents])
        # TF-IDF fitted without scikit-learn (nlu/scoring.py: importing it costs the bot
        # ~95 MiB) and stored feature by feature: one query is scored in ~0.1 ms.
        self.chars = TfidfMatrix(self.texts, CHARS)
        # Whole words too, for choosing an entry: "bangkok" or "kp2mi" decides between two
        # questions that share most of their letters ("nomor wa kbri ... berapa").
        self.words = TfidfMatrix(self.texts, WORDS)


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
        years = {label for label, short in shorts.items() if YEAR_RE.search(short)}
        generated: dict[str, tuple[str, ...]] = {}
        for entry in book.generated.values():  # by similarity after the written ones
            generated[entry_label(entry.intent, entry.id)] = entry.questions
            texts[entry_label(entry.intent, entry.id)] = "\n".join(entry.questions)
            if YEAR_RE.search(entry.text.short):  # its statement
                years.add(entry_label(entry.intent, entry.id))
            # the figures a fact entry answers are its facts' values (its statement's, else)
            values = "\n".join(book.fact_values(entry))
            shorts[entry_label(entry.intent, entry.id)] = (
                values if figures(values) else entry.text.short)
        return cls(questions, texts, shorts, years, FactChooser.for_book(book), generated)

    def __init__(self, questions: dict[str, tuple[str, ...]],
                 texts: dict[str, str] | None = None,
                 shorts: dict[str, str] | None = None,
                 years: set[str] | None = None,
                 facts: FactChooser | None = None,
                 generated: dict[str, tuple[str, ...]] | None = None) -> None:
        self._facts_asked = facts
        # what each answer says (its short text and variants): is the thing asked in it?
        self._cover = WordCover(texts) if texts else None
        self._figures = {label: figures(text) for label, text in (shorts or {}).items()}
        self._years = frozenset(years or ())  # the answers whose short text states a year
        entries = [label for label in (texts or {}) if split_label(label)[1]]
        self._facts = frozenset(e for e in entries if is_generated(split_label(e)[1] or ""))
        # every entry may answer a question it covers much better than the chosen answer,
        # except a feature's (a report, an offer check): those start a dialogue
        self._entries = frozenset(e for e in entries
                                  if split_label(e)[0] not in KEEP_INTENTS - {"emergency_help"})
        # the same, per row of the cover's arrays: filters applied to all texts at once
        rows = self._cover.labels if self._cover else []
        self._row_intent = np.array([split_label(label)[0] for label in rows])
        self._row_fact = np.array([label in self._facts for label in rows], bool)
        self._row_entry = np.array([label in self._entries for label in rows], bool)
        self._written = Variants(questions)
        # the same with the facts' generated variants (their statements, their `asked:`
        # lines), in an index of their own: the written variants' scores stay as they are
        self._all = Variants({**questions, **generated}) if generated else None
        self._intents, self._texts = self._written.intents, self._written.texts
        self._chars, self._words = self._written.chars, self._written.words

    def best(self, text: str, floor: float = MIN_SIMILARITY, off_topic: bool = False,
             ) -> str | None:
        """The intent whose question variant is most like `text`, if similar enough.

        `off_topic`: the NLU found the message out of scope (not merely unsure of its
        intent), so an entry needs the question's unknown words to be few as well.
        Written variants first: a fact's generated ones only when those find nothing or
        an intent's general answer (`_generated_first`).
        """
        query = normalize(text)
        if not query.strip():
            return None
        hit = self._best(query, floor, off_topic, generated=False)
        if hit is not None and split_label(hit)[1] is not None:
            return hit
        if self._all is None or off_topic or self._says_all(query, hit):
            return hit
        found = self._best(query, floor, off_topic, generated=True)
        return found if self._generated_first(found) else hit

    def _best(self, query: str, floor: float, off_topic: bool, generated: bool) -> str | None:
        """`best` for a normalised query, with or without the generated variants."""
        variants = self._all if generated and self._all is not None else self._written
        scores = variants.chars.scores(query)
        best = int(scores.argmax()) if len(scores) else -1
        if off_topic:
            floor = max(floor, OFF_TOPIC_SIMILARITY)
        if best >= 0 and scores[best] >= floor:
            hit = variants.intents[best]
            hit = self._covering(query, hit, FACT_COVER, off_topic) or hit
        else:
            hit = self._covering(query, None, UNSURE_COVER, off_topic)
        return self._asked(query, hit, hit is None and off_topic) or hit

    def _says_all(self, query: str, general: str | None) -> bool:
        """True when the general answer's text holds every word of the question.

        "apa aja tanda2 lowongan luar negri bohongan" is what the scam signs' general answer
        is written for, though a fact's `asked:` line ("tanda-tanda penipuan lowongan kerja
        luar negeri versi kemnaker") is closer by its letters.
        """
        if general is None or self._cover is None:
            return False
        asked = self._cover.ask(query)
        return len(asked.weights) >= 2 and asked.cover(general) >= WHOLE_COVER

    @staticmethod
    def _generated_first(label: str | None) -> bool:
        """True for a fact's generated entry: it replaces a general answer or nothing."""
        return label is not None and is_generated(split_label(label)[1] or "")

    def _asked(self, query: str, chosen: str | None, off_topic: bool = False) -> str | None:
        """The answer stating the fact asked for, when `chosen` does not (asked.py)."""
        if self._facts_asked is None:
            return None
        kind = focus(query)
        intent = split_label(chosen)[0] if chosen else None
        if intent in FEATURES or (intent in KEEP_INTENTS and kind is None):
            return None  # an offer to check starts a dialogue; a plea for help gets help
        if off_topic and kind is None:
            return None  # the NLU found it off-topic, and it asks for no kind of value
        choice = self._facts_asked.choose(query, chosen, kind,
                                          OFF_TOPIC_SHARE if off_topic else None,
                                          strict=off_topic or intent in KEEP_INTENTS)
        if choice is None:
            return None
        inside = [label for label in choice.labels if split_label(label)[0] == intent]
        return (inside or list(choice.labels))[0]

    def supporting(self, text: str, said: str, named: Iterable[str]) -> tuple[Source, ...]:
        """Sources of the facts asked for that `said` states without naming them (asked.py)."""
        if self._facts_asked is None:
            return ()
        query = normalize(text)
        return self._facts_asked.supporting(query, focus(query), said, named)

    def _covering(self, query: str, chosen: str | None, floor: float,
                  off_topic: bool = False) -> str | None:
        """An entry whose text holds much more of the question's words than `chosen`.

        `chosen` is the label picked by similarity (None: nothing was). The entry must hold
        `floor` of the question's informative words and `COVER_MARGIN` more than `chosen`,
        and not merely repeat `chosen`'s figures.
        """
        if self._cover is None or (chosen and split_label(chosen)[0] in KEEP_INTENTS):
            return None  # "adik saya dikunci di myanmar" needs help, not a statistic
        asked = self._cover.ask(query)
        if len(asked.weights) < 2:
            return None
        figure = bool(ASKS_RE.search(query))
        label, value = self._candidate(asked, chosen, figure, off_topic)
        if label is None or value < (floor if figure else max(floor, DISTINCT_COVER)):
            return None
        # "sejak kapan": an entry stating a year, over a chosen one stating none (which may
        # state the entry's other figures: the phone number, not since when it exists)
        when = bool(WHEN_RE.search(query)) and label in self._years and chosen not in self._years
        # a text holding every word of the question, when the chosen one lacks some, holds
        # the thing asked ("maret 2025 kemenpppa ... perempuan": the date and the ministry)
        whole = value >= WHOLE_COVER > asked.cover(chosen)
        if chosen is not None and (value < asked.cover(chosen) + (
                0.0 if when or whole else COVER_MARGIN)
                                   or (not when and self._same_figures(label, chosen))):
            return None  # the chosen answer is as close, or already states its figures
        return label

    def _candidate(self, asked: Asked, chosen: str | None, figure: bool,
                   off_topic: bool) -> tuple[str | None, float]:
        """The entry holding most of the question's words, and the share it holds.

        What an entry must share depends on what it is. A figure question ("... brp") gets
        a fact's statement with two of its words weighing `MIN_WEIGHT`; a written entry
        also needs a rare word in the chosen answer's intent, or else `CROSS_WORDS` words
        weighing `DISTINCT_WEIGHT` (its question variants share common words with many
        questions: "gaji dipotong agen" is not the Ferienjob case, "jumlah pmi ilegal thn
        ini" not the postponed passports). A question without a figure word ("modus
        ganti kepala itu apa") shares words with answers by chance more often ("kerja magang
        di jepang gmn"): a rare word and `DISTINCT_WEIGHT` for any entry. For such a
        question, or one the NLU found off-topic, words no answer knows count against the
        share: "lowongan
        pns kapan dibuka" is about another subject than the Saudi entry's "lowongan dibuka".
        """
        total = asked.total
        if off_topic or not figure:
            total += asked.unknown * UNKNOWN_WEIGHT
        summed, count = asked.summed, asked.count
        if not figure:
            fits = (count >= 2) & (summed >= DISTINCT_WEIGHT) & (asked.rarest >= RARE_WEIGHT)
        else:  # a fact; or many words, or a rare one in the chosen answer's own intent
            near = (self._row_intent == split_label(chosen)[0] if chosen
                    else np.ones(len(summed), bool))
            written = (count >= CROSS_WORDS) & (summed >= DISTINCT_WEIGHT) | (
                near & (count >= 2) & (summed >= MIN_WEIGHT) & (asked.rarest >= RARE_WEIGHT))
            fits = np.where(self._row_fact, (count >= 2) & (summed >= MIN_WEIGHT), written)
        fits &= self._row_entry
        if chosen in asked.position:
            fits[asked.position[chosen]] = False
        if not fits.any() or not total:
            return None, 0.0
        # on a tie, a fact's statement: it states one thing, an entry's words are its variants'
        row = int(np.where(fits, summed + 1e-9 * self._row_fact, -1.0).argmax())
        return self._cover.labels[row], float(summed[row]) / total

    def _same_figures(self, fact: str, chosen: str) -> bool:
        """True when `chosen`'s short text states half or more of the fact's figures."""
        own = self._figures.get(fact, set())
        return bool(own) and 2 * len(own & self._figures.get(chosen, set())) >= len(own)

    def within(self, text: str, intent: str) -> str | None:
        """The label that answers `text` once the NLU is sure of `intent` (None: general).

        An entry (a fact's statement or a written one, of any intent) that holds clearly
        more of the question's words than the answer chosen by similarity answers instead:
        the chosen one shares the topic, not the thing asked. Written variants first: a
        fact's generated variants (its statement, its `asked:` lines) only when the written
        ones lead to the intent's general answer.
        """
        query = normalize(text)
        label = self._within_all(query, intent, generated=False)
        if intent in SOCIAL or intent in KEEP_INTENTS or (
                label is not None and split_label(label)[1] is not None):
            return label
        if self._all is None or self._says_all(query, label or intent):
            return label
        found = self._within_all(query, intent, generated=True)
        return found if self._generated_first(found) else label

    def _within_all(self, query: str, intent: str, generated: bool) -> str | None:
        """`within` for a normalised query, with or without the generated variants."""
        label = self._within(query, intent, generated)
        if intent in SOCIAL:
            return label if label is not None and split_label(label)[0] == intent else None
        if label is None or not is_generated(split_label(label)[1] or ""):
            label = self._covering(query, label or intent, FACT_COVER) or label
        return self._asked(query, label or intent) or label

    def _within(self, query: str, intent: str, generated: bool = False) -> str | None:
        """The label that answers the normalised `query` once the NLU is sure of `intent`.

        The best variant of the intent decides: an entry's (if similar enough) or a general
        one (None: the general answer). An entry of another intent wins only when it is much
        closer than anything in `intent`: the NLU had the topic, the entry has the question.
        Not when the NLU is sure of a feature: an offer from Taiwan typed as a question
        ("gaji 35 juta ... aman ga?") shares the Taiwan wage entry's words, but it is an offer
        to check.
        """
        variants = self._all if generated and self._all is not None else self._written
        if not query.strip() or not variants.intents:
            return None
        scores = (variants.chars.scores(query) + variants.words.scores(query)) / 2
        inside = variants.intent_of == intent
        best_inside = int(np.where(inside, scores, -1).argmax())
        best_any = int(scores.argmax())
        if (not variants.is_general[best_any] and not inside[best_any] and intent not in FEATURES
                and scores[best_any] >= STRONG_SIMILARITY
                and scores[best_any] - scores[best_inside] >= STRONG_MARGIN):
            return variants.intents[best_any]
        general = inside & variants.is_general
        best_general = float(scores[general].max()) if general.any() else 0.0
        if (not variants.is_general[best_inside] and inside[best_inside]
                and scores[best_inside] >= ENTRY_SIMILARITY
                and scores[best_inside] >= best_general + GENERAL_MARGIN):
            return variants.intents[best_inside]
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
