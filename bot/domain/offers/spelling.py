"""How adverts spell the words the red flags look for, undone before the flags are read.

Two habits hide a sign from a rule written in standard spelling:
- the passive prefix written apart ("paspor di pegang bos", "umur bisa di sesuaikan"), which
  is how most people type it on WhatsApp and Facebook;
- letters masked so that platform filters and moderators miss the word ("K*mboja",
  "j*di", "K.A.M.B.O.J.A"), which recruiters for the scam compounds do on purpose.
- a possessive suffix glued to the noun ("gajinya disimpan agen", "permit diurusin pamanku"),
  which a rule written for "gaji" or "paman" would not see as the same word.
All are undone here for a closed list of words, so nothing else in the text changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from itertools import product

# Verbs whose passive ("di" + verb) the rules read; "di" before anything else stays a
# preposition ("di kantor", "di bawah", "di antara").
_PASSIVE_VERBS = (
    "pegang", "pegangin", "tahan", "simpan", "sita", "ambil", "kumpul", "kumpulkan", "kumpulin",
    "titip", "titipkan", "titipin", "serahkan", "amankan", "urus", "uruskan", "urusin", "bantu",
    "bantuin", "buat", "buatkan", "buatin", "bikin", "bikinkan", "bikinin", "potong", "bayar",
    "bayarkan", "bayarin", "tanggung", "talangi", "talangin", "jemput", "antar", "bawa",
    "rahasiakan", "atur", "sesuaikan", "ubah", "ganti", "palsukan", "tuakan", "tuain", "naikkan",
    "ajari", "ajarkan", "briefing", "arahkan", "jamin", "jual", "kurung", "larang", "denda",
    "cap", "stempel", "kawal")
_SPLIT_PASSIVE = re.compile(r"(?<!\w)di (" + "|".join(_PASSIVE_VERBS) + r")(?!\w)")
# Nouns the rules read, whose "-nya" / "-ku" / "-mu" (its, my, your) says nothing the rules use.
_POSSESSED_NOUNS = (
    "gaji", "paspor", "visa", "permit", "kontrak", "perjanjian", "tiket", "biaya", "umur", "usia",
    "dokumen", "ktp", "hp", "ponsel", "paman", "om", "tante", "bibi", "pakde", "bude", "teman",
    "temen", "kawan", "saudara", "sodara", "sepupu", "tetangga", "kakak", "abang", "kangmas",
    "mbakyu", "adik")
_POSSESSIVE = re.compile(r"(?<!\w)(" + "|".join(_POSSESSED_NOUNS) + r")(?:nya|ku|mu)(?!\w)")
_MASKED = re.compile(r"(?<![\w*])[a-z]+(?:\*+[a-z]+)+(?![\w*])|(?<![\w*])[a-z]+\*+(?=\s|$)")
_DOTTED = re.compile(r"(?<![\w.\-])(?:[a-z][.\-]){3,}[a-z](?![\w\-])\.?")
_VOWELS = "aiueo"
MAX_MASKS = 2  # at most two masked places in a word: "k*mb*ja"

# Words of the red flags that recruiters mask, besides the place names.
MASKED_WORDS = frozenset({
    "judi", "judol", "slot", "togel", "kasino", "casino", "scam", "scammer", "penipuan", "tipu",
    "paspor", "visa", "turis", "kripto", "crypto"})


def join_passives(text: str) -> str:
    """Join the passive typed apart: "paspor di pegang bos" -> "paspor dipegang bos"."""
    return _SPLIT_PASSIVE.sub(r"di\1", text)


def drop_possessives(text: str) -> str:
    """The noun without its possessive suffix: "gajinya" -> "gaji", "pamanku" -> "paman"."""
    return _POSSESSIVE.sub(r"\1", text)


def unmask(text: str, places: Container[str]) -> str:
    """Masked letters restored when exactly the word of a flag results ("k*mboja" -> "kamboja").

    ``places`` are the one-word place names; the flags' other masked words are MASKED_WORDS.
    A star stands for one vowel; dotted or dashed single letters are joined
    ("k.a.m.b.o.j.a" -> "kamboja"). A masked word that restores to no known word is left as
    it was (the star is then dropped with the rest of the formatting).
    """
    def known(word: str) -> bool:
        return word in MASKED_WORDS or word in places

    text = _DOTTED.sub(lambda m: _joined(m.group(0), known), text)
    return _MASKED.sub(lambda m: _restored(m.group(0), known), text)


def _joined(dotted: str, known: Callable[[str], bool]) -> str:
    word = dotted.removesuffix(".")
    joined = re.sub(r"[.\-]", "", word)
    return joined + dotted[len(word):] if known(joined) else dotted  # a full stop stays


def _restored(masked: str, known: Callable[[str], bool]) -> str:
    parts = re.split(r"\*+", masked)
    if len(parts) - 1 > MAX_MASKS:
        return masked
    for vowels in product(_VOWELS, repeat=len(parts) - 1):
        candidate = parts[0] + "".join(v + p for v, p in zip(vowels, parts[1:], strict=True))
        if known(candidate):
            return candidate
    return masked
