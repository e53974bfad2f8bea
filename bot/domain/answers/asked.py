"""Does the chosen answer state the fact asked for? If not, which answer does?

The answer chosen by its question variants shares the question's topic; the question asks
for one fact of it. The fact that fits the question best (factsearch.py), among those whose
value is of the asked kind (focus.py), is compared with the facts the chosen answer's short
text states and names the source of. When the chosen answer does not state it and the best
fact fits clearly better than anything the chosen answer states, the answer that states that
fact answers instead: a written entry that answers with it, else the fact's own statement
(a generated entry, factentries.py), so the villager gets the fact and its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.answers.book import AnswerBook, Variant
from bot.domain.answers.factsearch import FactDoc, FactSearch, Found
from bot.domain.answers.focus import (
    ARTICLE,
    LINK,
    NAME,
    PHONE,
    names_something,
    value_kinds,
)
from bot.domain.content.facts import Fact
from bot.domain.content.sources import Source

FOCUS_SHARE = 0.4  # a question asking for a kind of value: 40 % of its words' weight in one fact
# ... when the NLU found it off-topic but every word is one the facts use: half ("kurs
# ringgit hari ini brp" shares "ringgit ... brp" with the wage facts)
OFF_TOPIC_FOCUS_SHARE = 0.5
PLAIN_SHARE = 0.6  # a question asking for no kind of value: most of them
MARGIN = 1.25  # and this much more than the best fact the chosen answer states
MIN_KNOWN = 2  # words of the question some fact holds: one word is a topic, not a question
MIN_KNOWN_PLAIN = 3  # ... and without a kind of value asked, two ("kerja jepang gimana") are
SEPARATION = 1.15  # the best fact scores this much more than the next answer's best fact:
# "ada brp korban tppo 2024" fits a dozen facts about as well, and names none of them
SUPPORT_ROWS = 5  # the best facts of the asked kind whose value the reply already states ...
SUPPORT_SHARE = 0.25  # ... and that fit the question this well name their sources too,
SUPPORT_MAX = 2  # at most this many more: a source line a phone shows in one or two lines
SUPPORT_PLAIN_SHARE = 0.5  # a question asking for no kind of value: facts fitting it this well
# a fact stating the very value the reply states under another source (`_SameValue`) and
# fitting the question this well is the same fact from that source
SAME_VALUE_SHARE = 0.1
# the values two sources can share only by stating the same thing: a law's number, a phone
# number, a site ("10 tahun", "2024" or "Rp1.000.000" could be anything: the fine for a lost
# passport and the fee for a faster one)
DISTINCT_KINDS = frozenset({ARTICLE, LINK, PHONE})
_LAW_RE = re.compile(r"\b(uu|pp|perban|permen\w*|kepmen\w*|perpres|perda)\b(?:\s+bp2mi)?\s*"
                     r"(?:no\.?|nomor)?\s*(\d+)\s*(?:tahun|/)\s*(\d{4})\b", re.I)
LOOSE_KINDS = frozenset({NAME, LINK})  # questions a statement naming something may answer
# "BP3MI itu singkatan dari apa": one word, the acronym; the statement spelling it out answers
EXPANSION_RE = re.compile(r"\b(?:singkat\w*|kepanjang\w*|kependek\w*)\b")
# an acronym, then its words: "SPLP (Surat Perjalanan ...)", "BP3MI adalah Balai ..."
_GLOSS_RE = re.compile(r"\b([A-Z][A-Za-z0-9-]*[A-Z0-9])\s*(?:\(\s*|adalah\s+|merupakan\s+|"
                       r"yaitu\s+|ialah\s+|singkatan dari\s+)([A-Z][^();:.]{3,80})")
CLEAR_SEPARATION = 1.4  # a fact this far ahead of every other answer's facts ...
CLEAR_SHARE = 0.7  # ... needs only this part of the share: villagers' words
# ("jan-okt", "nunda", "gagalin") are not the sources' ("Januari–Oktober", "ditunda")


@dataclass(frozen=True)
class Choice:
    """The answers that state the fact asked for (labels, best first) and how well it fits."""

    labels: tuple[str, ...]
    share: float


class FactChooser:
    """The facts, the answers that state each, and what each answer states."""

    def __init__(self, search: FactSearch, targets: list[tuple[str, ...]],
                 stated: dict[str, frozenset[str]],
                 facts: list[tuple[Fact, ...]] | None = None) -> None:
        self.search = search
        self._targets = targets  # per document: the labels of the answers that state it
        self._stated = stated  # label -> ids of the facts its short text states, source named
        self._facts = facts or [()] * len(search.docs)  # per document: its facts
        self._same = _SameValue([f for row in self._facts for f in row])
        self._glossed = _glossed(search.docs)

    @classmethod
    def for_book(cls, book: AnswerBook) -> FactChooser | None:
        """Documents of every answerable fact, with the answers that state them."""
        if book.registry is None:
            return None
        entries = [(f"{a.intent}#{e.id}", e) for a in book.answers.values()
                   for e in a.entries.values()]
        entries += [(f"{e.intent}#{e.id}", e) for e in book.generated.values()]
        stated = {label: _named(e.text, book) for label, e in entries}
        stated |= {intent: _named(a.text, book) for intent, a in book.answers.items()}
        groups: dict[str, list[Fact]] = {}
        for fact in book.registry.facts.values():
            if not fact.replaced_by:
                groups.setdefault(fact.statement, []).append(fact)
        docs, targets, of_doc = [], [], []
        for statement, facts in groups.items():
            of_doc.append(tuple(facts))
            ids = {f.id for f in facts}
            answering = [(label, e) for label, e in entries if ids & set(e.primary)]
            words = [" ".join(e.questions) for _, e in answering if not e.generated]
            about = " ".join(w for f in facts for w in f.id.replace("_", ".").split("."))
            kinds = frozenset().union(*(value_kinds(f.value, statement) for f in facts))
            values = frozenset(f.value.lower() for f in facts)
            docs.append(FactDoc(tuple(ids), "\n".join((statement, about, *words)), kinds,
                                values, names_something(statement)))
            others = [label for label, e in entries if ids & stated[label]]
            targets.append(tuple(dict.fromkeys(
                [label for label, _ in answering if ids & stated[label]] + others)))
        return cls(FactSearch(docs), targets, stated, of_doc)

    def choose(self, normalized: str, chosen: str | None, kind: str | None,
               floor: float | None = None, strict: bool = False) -> Choice | None:
        """The answers stating the fact asked for, when `chosen` does not state it.

        `strict`: only facts whose value is of the asked kind (an off-topic message, a
        feature's). Else a name may also come from a statement that names it and fits the
        question closely ("aplikasi apa": "aplikasi Safe Travel ... diluncurkan 2018"); when
        those make no fact clearly best, the facts of the asked kind alone may.
        """
        spelled = self._spelled_out(normalized) if kind == NAME else None
        if spelled is not None:
            own = self._stated.get(chosen or "", frozenset())
            if own & set(self.search.docs[spelled].facts):
                return None
            return Choice(self._targets[spelled], 1.0)
        found, row = self._best(normalized, kind, floor, loose=not strict and kind in LOOSE_KINDS)
        if row is None and found.loose:  # the statements naming something tie: facts of the kind
            found, row = self._best(normalized, kind, floor, loose=False)
        if row is None:
            return None
        own = self._stated.get(chosen or "", frozenset())
        if own & set(self.search.docs[row].facts):
            return None  # the chosen answer states it and names its source
        if found.scores[row] < MARGIN * self._best_own(found, own):
            return None
        return Choice(self._targets[row], float(found.share[row]))

    def _best(self, normalized: str, kind: str | None, floor: float | None,
              loose: bool) -> tuple[Found, int | None]:
        """The row of the fact that fits the question clearly best, if one does."""
        found = self.search.search(normalized, kind, loose)
        rows = [r for r in found.ranked(8) if self._targets[r]]
        if not rows or found.known < (MIN_KNOWN if kind else MIN_KNOWN_PLAIN):
            return found, None
        row, docs = rows[0], self.search.docs
        rival = next((r for r in rows[1:] if self._targets[r][0] != self._targets[row][0]
                      and not _agree(docs[r].values, docs[row].values)
                      and not _restates(docs[row], docs[r])), None)
        ahead = (found.scores[row] / found.scores[rival] if rival is not None
                 else float("inf"))
        if ahead < SEPARATION:
            return found, None
        if floor is None:
            floor = FOCUS_SHARE if kind else PLAIN_SHARE
        elif found.unknown == 0 and found.known >= MIN_KNOWN_PLAIN:
            floor = OFF_TOPIC_FOCUS_SHARE if kind else PLAIN_SHARE  # off-topic to the NLU,
            # but every word is one the facts use
        if ahead >= CLEAR_SEPARATION and found.known >= MIN_KNOWN_PLAIN:
            floor *= CLEAR_SHARE
        return found, (row if found.share[row] >= floor else None)

    def _spelled_out(self, normalized: str) -> int | None:
        """The row of the statement spelling out the acronym asked about, if one does.

        "bp3mi itu singkatan dari apa" holds one word the facts know, the acronym, and a dozen
        statements name BP3MI: none is clearly best by its words, one says what BP3MI means.
        """
        if not EXPANSION_RE.search(normalized):
            return None
        for word in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", normalized):
            rows = [(at, r) for at, r in self._glossed.get(word, ()) if self._targets[r]]
            if rows:  # the statement that starts with it is about it, then the closest
                scores = self.search.search(normalized, None).scores
                return min(rows, key=lambda pair: (pair[0], -float(scores[pair[1]])))[1]
        return None

    def supporting(self, normalized: str, kind: str | None, said: str,
                   named: Iterable[str]) -> tuple[Source, ...]:
        """Sources of the facts asked for that the reply states but names another source for.

        An entry often states a value the fact sheet has from several sources ("SIP3MI",
        "Rp15 miliar", "SAPA 129"), under the one its author read. When one of the best facts
        of the asked kind has that value, the villager should see that fact's source too:
        the reply says it, and this source says it.
        """
        found = self.search.search(normalized, kind)
        if found.known < (MIN_KNOWN if kind else MIN_KNOWN_PLAIN):
            return ()
        text, urls, extra = _squash(said), set(named), []
        least = SUPPORT_SHARE if kind else SUPPORT_PLAIN_SHARE
        for row in found.ranked(SUPPORT_ROWS):
            if found.share[row] < least:
                break
            for fact in self._facts[row]:
                if fact.source.url not in urls and _says(text, fact.value):
                    urls.add(fact.source.url)
                    extra.append(fact.source)
        same = [(float(found.share[self.search.row_of[f.id]]), f)
                for f in self._same.others(text, urls) if f.id in self.search.row_of]
        for share, fact in sorted(same, key=lambda pair: -pair[0]):
            if share >= SAME_VALUE_SHARE and fact.source.url not in urls:
                urls.add(fact.source.url)
                extra.append(fact.source)
        return tuple(extra[:SUPPORT_MAX])

    def _best_own(self, found: Found, own: Iterable[str]) -> float:
        """The best score among the chosen answer's facts of the asked kind."""
        rows = {self.search.row_of[f] for f in own if f in self.search.row_of}
        return max((float(found.scores[r]) for r in rows if found.allowed[r]), default=0.0)


class _SameValue:
    """Facts that state one value from different sources, found by the value.

    The registry keeps one fact per source, each with its own statement: "UU Nomor 21 Tahun
    2007" (the law's own page) and "UU 21/2007" (a news report of a case) are one value, and
    the reply stating it under one source states it for the other too.
    """

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._by_url: dict[str, list[Fact]] = {}
        self._by_value: dict[str, list[Fact]] = {}
        for fact in facts:
            self._by_url.setdefault(fact.source.url, []).append(fact)
            key = _canonical(fact.value)
            if len(key) >= 4 and _kinds_of(fact) & DISTINCT_KINDS:
                self._by_value.setdefault(key, []).append(fact)

    def others(self, squashed: str, named: Iterable[str]) -> list[Fact]:
        """Facts from sources not in `named` that state a value the reply states under one."""
        named = set(named)
        stated = {_canonical(f.value) for url in named for f in self._by_url.get(url, ())
                  if _says(squashed, f.value)}
        return [f for key in stated for f in self._by_value.get(key, ())
                if f.source.url not in named]


def _glossed(docs: list[FactDoc]) -> dict[str, list[tuple[int, int]]]:
    """Lowercased acronym -> (where in the statement, row) of the statements spelling it out.

    A bracket after an acronym is not always its words ("BP2MI (Juli 2023)", "KP2MI (Dirjen
    Rinardi ...)"): the words must start with the acronym's first letter and hold its letters
    in order ("JKM (Jaminan Kematian)", "BP3MI adalah Balai Pelayanan Pelindungan ...").
    """
    glossed: dict[str, list[tuple[int, int]]] = {}
    for row, doc in enumerate(docs):
        for match in _GLOSS_RE.finditer(doc.text.split("\n", 1)[0]):
            acronym, words = match[1], match[2].lower()
            letters = [c for c in acronym.lower() if c.isalpha()]
            rest = iter(words)
            if len(letters) >= 2 and words[0] == letters[0] and all(c in rest for c in letters):
                glossed.setdefault(acronym.lower(), []).append((match.start(), row))
    return glossed


def _canonical(value: str) -> str:
    """A value squashed, a law's number in one form: "UU Nomor 21 Tahun 2007" == "UU 21/2007"."""
    return _squash(_LAW_RE.sub(lambda m: f"{m[1]} {m[2]}/{m[3]}", value))


def _kinds_of(fact: Fact) -> frozenset[str]:
    """The kinds of a fact's own value (its statement's other figures apart)."""
    return value_kinds(fact.value, fact.value)


def _named(variant: Variant, book: AnswerBook) -> frozenset[str]:
    """The facts a short text states whose source is named under it."""
    urls = {s.url for s in variant.short_sources}
    registry = book.registry
    return frozenset(f for f in variant.facts
                     if registry is not None and f in registry and registry[f].source.url in urls)



def _agree(these: frozenset[str], those: frozenset[str]) -> bool:
    """True when two statements state one value: "Pasal 48" and "Pasal 48 UU 21/2007".

    Two sources rarely write a value alike; a statement whose value holds the other's whole
    (as a word sequence) says the same thing and is no rival for the question.
    """
    if these & those or {_squash(v) for v in these} & {_squash(v) for v in those}:
        return True  # one value, written two ways: "08111129129", "08111-129-129"
    return any(re.search(rf"(?<![\w.,]){re.escape(a)}(?![\w.,/])", b)
               for a in these for b in those if a != b and len(a) >= 4) or any(
        re.search(rf"(?<![\w.,]){re.escape(b)}(?![\w.,/])", a)
        for a in these for b in those if a != b and len(b) >= 4)


def _restates(best: FactDoc, other: FactDoc) -> bool:
    """True when `best`'s statement states every value of `other`: no rival, it says more.

    "Syarat paspor dewasa (Permenkumham 8/2014)" names the rule that "Syarat paspor baru
    dewasa (Permenkumham 8/2014): KTP elektronik, ..." names too, with the documents asked for.
    """
    said = _squash(best.text.split("\n", 1)[0])
    return bool(other.values) and all(_says(said, value) for value in other.values)


def _squash(text: str) -> str:
    """Lowercase without spaces, dots, commas and dashes: '0-800-1000' == '08001000'."""
    return re.sub(r"[\s.,\-–]", "", text.lower())


def _says(squashed: str, value: str) -> bool:
    """True when a text states a fact's value, or its name before a gloss ("SIP3MI (...)").

    A value that lists names ("ahli waris, Perwakilan RI/KDEI, ..."; "Dinas Tenaga Kerja atau
    LTSA setempat"; "SIAPkerja, menu ...") is stated in part by a text naming its first one.
    """
    head = value.split(" (", 1)[0]
    first = re.split(r",\s|;\s|\s(?:atau|dan)\s", head, maxsplit=1)[0]
    named = {_squash(first)} if first != head and not re.search(r"\d", first) else set()
    return any(len(v) >= 3 and re.search(_bounded(v), squashed)
               for v in {_squash(value), _squash(head)} | {n for n in named if len(n) >= 5})


def _bounded(squashed: str) -> str:
    """A pattern for a squashed value that another figure does not continue.

    "Rp100.000" is not in "Rp1.000.000"; but "Pasal 6 ayat 2" is in "UU 18/2017 Pasal 6
    ayat 2": squashing glues the year to the article, so only a value's digit edge is checked.
    """
    before = r"(?<!\d)" if squashed[:1].isdigit() else ""
    after = r"(?!\d)" if squashed[-1:].isdigit() else ""
    return before + re.escape(squashed) + after
