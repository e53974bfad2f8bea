"""Assigning a text to a campaign, incrementally, the same way in the bot and on the shell.

The rule (issue 17): two texts are one campaign when they share a contact identifier, or when
one is a near-duplicate of the other (re-posted, edited, shortened, retold) and they do not
carry different contacts. Recruiters copy each other's templates, so a copy under another
number or company is another campaign even when the words are the same.

Near duplicates are found with MinHash LSH (`minhash.py`) over character shingles of the text
with its contacts blanked; the candidates' signatures are compared in one numpy step. Shared
contacts are exact (phones in E.164, handles, links) or fuzzy for company names (rapidfuzz).
A text that shares contacts with two campaigns joins them into one (the older id survives).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from bot.domain.campaigns.contacts import Contact, extract, without_contacts
from bot.domain.campaigns.minhash import BandIndex, minhash
from bot.domain.offers.assessment import normalize_offer


@dataclass(frozen=True)
class Tuning:
    """The thresholds, chosen on the `tune` half of tests/fixtures/campaigns.yml."""

    num_perm: int = 64
    shingle: int = 4
    lsh_threshold: float = 0.2
    same_text: float = 0.25  # estimated Jaccard (or containment) for "the same advert"
    company_score: float = 90.0
    copy: float = 0.9  # a re-post this close to an indexed text is not indexed again


TUNING = Tuning()


def shingles(text: str, size: int) -> set[bytes]:
    """Character shingles of the text without its contacts, punctuation and emojis."""
    plain = re.sub(r"[^a-z0-9]+", " ", normalize_offer(without_contacts(text))).strip()
    if len(plain) <= size:
        return {plain.encode()} if plain else set()
    return {plain[i:i + size].encode() for i in range(len(plain) - size + 1)}


@dataclass(frozen=True)
class Signature:
    """What the index keeps of a text: its MinHash values, shingle count and contacts."""

    values: np.ndarray  # uint32, num_perm long
    size: int
    contacts: frozenset[Contact]


def signature(text: str, tuning: Tuning = TUNING) -> Signature:
    """The signature of one text (about a millisecond)."""
    grams = shingles(text, tuning.shingle)
    return Signature(minhash(grams, tuning.num_perm), len(grams), extract(text))


@dataclass(frozen=True)
class Decision:
    """Where a text goes: an existing campaign (None: a new one), and campaigns it joins."""

    campaign: int | None
    joins: tuple[int, ...] = ()
    reason: str = "new"  # "contact" | "text" | "new"


@dataclass
class Grouping:
    """The in-memory index of every stored text; `decide` then `add` for each new text."""

    tuning: Tuning = TUNING
    _lsh: BandIndex = field(init=False)
    _values: np.ndarray = field(init=False)
    _sizes: np.ndarray = field(init=False)
    _campaign: np.ndarray = field(init=False)
    _count: int = 0
    _texts: int = 0
    _parent: dict[int, int] = field(default_factory=dict)
    _by_contact: dict[Contact, int] = field(default_factory=dict)
    _company_words: dict[str, set[str]] = field(default_factory=dict)
    _with_contacts: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._lsh = BandIndex(self.tuning.lsh_threshold, self.tuning.num_perm)
        self._values = np.zeros((1024, self.tuning.num_perm), dtype=np.uint32)
        self._sizes = np.zeros(1024, dtype=np.int32)
        self._campaign = np.zeros(1024, dtype=np.int64)

    def __len__(self) -> int:
        """How many texts were added (re-posts included)."""
        return self._texts

    @property
    def indexed(self) -> int:
        """How many distinct texts the similarity index holds (re-posts are not kept twice)."""
        return self._count

    def find(self, campaign: int) -> int:
        """The campaign a (possibly merged) campaign now belongs to."""
        root = campaign
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while campaign != root:
            campaign, self._parent[campaign] = self._parent[campaign], root
        return root

    def decide(self, sig: Signature) -> Decision:
        """The campaign of a new text, without adding it."""
        linked = sorted({self.find(c) for c in self._linked(sig.contacts)})
        if linked:
            return Decision(linked[0], tuple(linked[1:]), "contact")
        best = self._best_text_match(sig)
        return Decision(best, (), "text") if best is not None else Decision(None)

    def _linked(self, contacts: Iterable[Contact]) -> Iterable[int]:
        for contact in contacts:
            if contact in self._by_contact:
                yield self._by_contact[contact]
            elif contact.kind == "company":
                yield from self._similar_company(contact.value)

    def _similar_company(self, name: str) -> Iterable[int]:
        words = [w for w in name.split() if len(w) >= 4]
        seen: set[str] = set()
        for word in words:
            for other in self._company_words.get(word, ()):
                if other in seen:
                    continue
                seen.add(other)
                short = min(len(name.split()), len(other.split()))
                if fuzz.ratio(name, other) >= self.tuning.company_score or (
                        short >= 2 and fuzz.token_set_ratio(name, other) >= 100):
                    yield self._by_contact[Contact("company", other)]

    def _similar(self, sig: Signature) -> tuple[np.ndarray, np.ndarray]:
        """Index keys of the LSH candidates and their estimated Jaccard similarity."""
        if sig.size == 0 or self._count == 0:
            return np.empty(0, dtype=np.int64), np.empty(0)
        keys = self._lsh.query(sig.values)
        return keys, (self._values[keys] == sig.values).mean(axis=1)

    def _best_text_match(self, sig: Signature) -> int | None:
        keys, jaccard = self._similar(sig)
        if keys.size == 0:
            return None
        sizes = self._sizes[keys]
        smaller = np.minimum(sizes, sig.size).clip(min=1)
        containment = jaccard * (sizes + sig.size) / ((1 + jaccard) * smaller)
        score = np.maximum(jaccard, np.minimum(containment, 1.0) * 0.8)
        for index in np.argsort(-score):
            if score[index] < self.tuning.same_text:
                return None
            campaign = self.find(int(self._campaign[keys[index]]))
            if not (sig.contacts and campaign in self._with_contacts):
                return campaign
        return None

    def join(self, other: int, into: int) -> None:
        """Campaign `other` is now part of `into` (a text linked them)."""
        root, target = self.find(other), self.find(into)
        if root == target:
            return
        self._parent[root] = target
        if root in self._with_contacts:
            self._with_contacts.add(target)

    def add(self, sig: Signature, campaign: int, joins: Iterable[int] = ()) -> bool:
        """Index a text under its campaign (joining others into it); False for a re-post.

        A re-post nearly identical to a text of the same campaign adds its contacts but not a
        second copy of its signature: re-posts are most of the traffic, and a copy would only
        ever lead to the campaign the first one already leads to.
        """
        for other in joins:
            self.join(other, campaign)
        self._texts += 1
        key = self._count
        keys, jaccard = self._similar(sig)
        copies = keys[jaccard >= self.tuning.copy]
        indexed = sig.size > 0 and not any(self.find(int(self._campaign[k])) == self.find(campaign)
                                for k in copies)
        if indexed:
            if key == len(self._sizes):
                self._grow()
            self._values[key], self._sizes[key] = sig.values, sig.size
            self._campaign[key] = campaign
            self._count += 1
            self._lsh.insert(key, sig.values)
        for contact in sig.contacts:
            self._by_contact.setdefault(contact, campaign)
            if contact.kind == "company":
                for word in contact.value.split():
                    if len(word) >= 4:
                        self._company_words.setdefault(word, set()).add(contact.value)
        if sig.contacts:
            self._with_contacts.add(self.find(campaign))
        return indexed

    def _grow(self) -> None:
        size = len(self._sizes) * 2
        self._values = np.resize(self._values, (size, self.tuning.num_perm))
        self._sizes = np.resize(self._sizes, size)
        self._campaign = np.resize(self._campaign, size)


def cluster(texts: Iterable[str], tuning: Tuning = TUNING) -> list[int]:
    """Campaign numbers (1, 2, ...) for texts taken in order, as the bot would group them."""
    grouping, labels, next_id = Grouping(tuning), [], 1
    for text in texts:
        sig = signature(text, tuning)
        decision = grouping.decide(sig)
        campaign = decision.campaign
        if campaign is None:
            campaign, next_id = next_id, next_id + 1
        grouping.add(sig, campaign, decision.joins)
        labels.append(campaign)
    return [grouping.find(label) for label in labels]
