"""Vowel restoration: a typed word without its vowels read as the training word it abbreviates.

Villagers drop vowels ("lwongan", "brhnti lngganan", "psprt") in more ways than any lexicon
lists. These functions build, from the training words and the lexicon's keys, an index from a
word's first letter and consonants to the one word such a typed form means, and read an unknown
token through it; `nlu/embedded.py` applies them before classifying. Kept apart from the engine
because they are pure string functions with their own rules (nlu/README.md, "Embedded engine").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import chain
from typing import Any

VOWELS = frozenset("aeiou")
MIN_RESTORED = 3  # only words longer than this are in the index ("lm", "sj" are no words)
MIN_TOKEN = 2  # typed tokens this long may be read through it: "ks" is kuis, "nm" namo
# (was 3: the two-letter skeletons of kuis or namo stayed gibberish; the first-letter
# key and the dominance rule keep ambiguous ones as typed, and lexicon words never get here)
DOMINANCE = 10  # a typed word means the training word used this many times as often as its rivals
MIN_USES = 5  # ... and used at least this often (one "minta" against none proves nothing)


def consonants(word: str) -> str:
    """The word without its vowels: the part villagers keep when they abbreviate."""
    return "".join(ch for ch in word if ch not in VOWELS)


def skeleton_index(token_lists: Any, spellings: Iterable[str] | Mapping[str, str] = ()
                   ) -> dict[str, str]:
    """First letter and consonant skeleton -> the one word a typed form of it means.

    The words are the training words and `spellings`, the lexicon's keys ("suwun",
    "wilujeng": the normaliser replaced them, so no training text holds them). Two spellings
    of one word, one a subsequence of the other ("lngganan", "langganan"), are one word, the
    fuller: the typed one had made "lnggnn" ambiguous. So are spellings the lexicon gives one
    meaning ("rasmi", "rsmi", "resmi"). The first letter is part of the key, because villagers
    keep it even when it is a vowel: "imgrs" is imigrasi, never emigrasi, and "amn" is aman,
    not main or mana. When words of different meanings still share a key, the one the
    training data uses DOMINANCE times as often as all the others together is meant ("krbn":
    korban 67 times, kurban 3; "mnt": minta 52, minat 1); otherwise the key is ambiguous
    ("kng": kong 32, kang 3, king 2) and the typed word stays as it is.
    """
    meanings = spellings if isinstance(spellings, Mapping) else {}
    counts: Counter[str] = Counter(w for tokens in token_lists for w in tokens)
    by_key: dict[str, set[str]] = {}
    for word in chain(counts, spellings):
        if word.isalpha() and len(word) > MIN_RESTORED and set(word) & VOWELS:
            by_key.setdefault(skeleton_key(word), set()).add(word)
    index = {}
    for key, words in by_key.items():
        word = (_one_word(words) or _one_meaning(words, counts, meanings)
                or _dominant(words, counts, meanings))
        if word:
            index[key] = word
    return index


def skeleton_key(word: str) -> str:
    """The first letter and the consonants: what a villager keeps of a word ("pspr")."""
    return word[0] + consonants(word)


def _one_word(words: set[str]) -> str | None:
    """The fullest of `words` when every other is a shorter spelling of it, else None."""
    fullest = max(words, key=lambda w: (len(w), w))
    return fullest if all(_subsequence(w, fullest) for w in words) else None


def _one_meaning(words: set[str], counts: Counter[str],
                 meanings: Mapping[str, str]) -> str | None:
    """The most used of `words` when the lexicon reads them all as the same word, else None."""
    read = {meanings.get(w, w) for w in words}
    return _most_used(words, counts) if len(read) == 1 else None


def _dominant(words: set[str], counts: Counter[str], meanings: Mapping[str, str]) -> str | None:
    """The most used spelling of the meaning used DOMINANCE times as often as all others."""
    by_meaning: dict[str, set[str]] = {}
    for w in words:
        by_meaning.setdefault(meanings.get(w, w), set()).add(w)
    uses = sorted(((sum(counts[w] for w in ws), m) for m, ws in by_meaning.items()), reverse=True)
    (top, meaning), others = uses[0], sum(n for n, _ in uses[1:])
    if top >= MIN_USES and top >= DOMINANCE * others:
        return _most_used(by_meaning[meaning], counts)
    return None


def _most_used(words: set[str], counts: Counter[str]) -> str:
    return max(words, key=lambda w: (counts[w], len(w), w))


def restore(token: str, index: dict[str, str]) -> str:
    """The training word an unknown `token` abbreviates, by `index`; else the token as typed."""
    if not token.isalpha() or len(token) < MIN_TOKEN:
        return token
    word = index.get(skeleton_key(token))
    if word is None or not _subsequence(token, word):
        return token
    return word


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


MIN_TYPO = 6  # words this long and longer are read through one typo ("pasport", "lowogan")
# (5 also read some short in-scope words as another word: one more message sent off-topic)


def deletion_index(words: Iterable[str]) -> dict[str, set[str]]:
    """Each word of MIN_TYPO letters or more, and each of it with one letter deleted -> words.

    A typed word one slip away from a training word (a letter missing, added, changed or two
    swapped) shares one of these keys with it, so the candidates are a few look-ups.
    """
    index: dict[str, set[str]] = {}
    for word in words:
        if len(word) >= MIN_TYPO and word.isalpha():
            for key in {word, *_deletions(word)}:
                index.setdefault(key, set()).add(word)
    return index


def one_typo(token: str, index: dict[str, set[str]]) -> str | None:
    """The one training word `token` is a single slip away from, with its first letter; else None.

    Villagers type fast on small keyboards ("pasport", "lowogan", "pelatiahn"); two or more
    candidates ("bawa" and "bara") leave the token as typed.
    """
    if len(token) < MIN_TYPO or not token.isalpha():
        return None
    candidates = {word for key in {token, *_deletions(token)} for word in index.get(key, ())
                  if word[0] == token[0] and _one_edit(token, word)}
    return candidates.pop() if len(candidates) == 1 else None


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one insertion, deletion, change or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
