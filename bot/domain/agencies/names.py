"""When two spellings of a company name are the same company, and when they are not.

A high fuzzy score is not enough: "PT Uji Penempatan 5" scores 90+ against the licensed
"PT Uji Penempatan 500", and "PT Karya Abadi Raya" against "PT Karya Abadi Jaya"; telling a
villager that an unlicensed company is licensed is the one mistake this check must not make.
So a match must agree word for word: the same numbers, the same number of words, and each
word either equal or a plain typo of its partner (a dropped or doubled letter, two swapped
letters, or one changed letter in a long word). Anything else stays a "did you mean".
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

NUMBER_RE = re.compile(r"\d+")
LONG_WORD = 5  # from this length one changed letter is a typo ("mulia"/"mulya"), below not
SHORT_WORD = 3  # words up to this length ("dan", "abc") must be equal


def same_company(typed: str, registered: str) -> bool:
    """True when the normalised `typed` name is a typo-level variant of `registered`."""
    if typed == registered or typed.replace(" ", "") == registered.replace(" ", ""):
        return True
    if NUMBER_RE.findall(typed) != NUMBER_RE.findall(registered):
        return False
    words, others = sorted(typed.split()), sorted(registered.split())
    if len(words) != len(others):
        return False
    unmatched = [w for w in words if w not in others]
    remaining = [w for w in others if w not in words]
    if len(unmatched) != len(remaining):
        return False  # a repeated word on one side only
    return all(_pairs_off(unmatched, remaining))


def _pairs_off(words: list[str], others: list[str]) -> list[bool]:
    """Pair each unmatched word with a typo-level partner, each partner used once."""
    free = list(others)
    paired = []
    for word in words:
        partner = next((o for o in free if is_typo(word, o)), None)
        paired.append(partner is not None)
        if partner is not None:
            free.remove(partner)
    return paired


def is_typo(word: str, other: str) -> bool:
    """A dropped/added letter or two swapped letters, or one changed letter in a long word."""
    if any(ch.isdigit() for ch in word + other):
        return False
    if max(len(word), len(other)) <= SHORT_WORD or OSA.distance(word, other) != 1:
        return False
    if len(word) != len(other):
        return True  # "jya" for "jaya", "sinarr" for "sinar"
    swapped = sorted(word) == sorted(other)
    return swapped or len(word) >= LONG_WORD
