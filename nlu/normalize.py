"""Text normalisation before intent classification.

Villagers write "gmn cara krja ke kemboja gaji 15jt??? 🙏" as often as the standard sentence.
Mapping spellings to one form first lets a small training set cover many more messages. The
dictionary is data (`lexicon/slang.yml`), so adding a word needs no code change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON_PATH = Path(__file__).parent / "lexicon" / "slang.yml"

_REPEATED_LETTER = re.compile(r"([^\W\d_])\1{2,}")
_CURRENCY_PREFIX = re.compile(r"(?<![\w])(rp|rm|usd)(?=\d)")
_REDUPLICATION = re.compile(r"(?<![\w-])([^\W\d_]{3,})2(an|nya|kan|in)?(?![\w])")
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f]")
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’`](?=[^\W\d_])")


@dataclass(frozen=True)
class Lexicon:
    """The compiled dictionary: word map, phrase pattern and amount-suffix pattern."""

    words: dict[str, str]
    phrases: dict[str, str]
    phrase_re: re.Pattern[str] | None
    suffix_re: re.Pattern[str]
    suffixes: dict[str, str]

    @property
    def phrase_words(self) -> set[str]:
        """The words the phrases are made of ("hatur", "nuhun"), for vowel restoration."""
        return {word for phrase in self.phrases for word in phrase.split()}


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read and compile the lexicon once; every message afterwards reuses it.

    Args:
        path: The YAML file with `words`, `phrases` and `amount_suffixes` sections.

    Returns:
        The compiled lexicon.
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    words = {str(k).lower(): str(v) for k, v in (raw.get("words") or {}).items()}
    phrases = {str(k).lower(): str(v) for k, v in (raw.get("phrases") or {}).items()}
    suffixes = {str(k).lower(): str(v) for k, v in (raw.get("amount_suffixes") or {}).items()}
    # Longest first, so "nyambut gawe" wins over any shorter phrase it contains.
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    phrase_re = re.compile(rf"(?<!\S)(?:{alternatives})(?!\S)") if phrases else None
    suffix_alt = "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))
    suffix_re = re.compile(rf"(?<![\w.,])(\d+(?:[.,]\d+)*)({suffix_alt})(?![\w])")
    return Lexicon(words, phrases, phrase_re, suffix_re, suffixes)


def normalize(text: str) -> str:
    """Bring a villager's message to one lowercase, standard-Indonesian spelling.

    The result is meant for the classifier only; entities are extracted from the original
    text, so nothing here needs to be reversible.

    Args:
        text: The message as typed.

    Returns:
        Space-separated tokens: slang mapped, punctuation and emoji split off, amounts
        like "15jt" spelt "15 juta". An empty string for empty or blank input.
    """
    if not text or text.isspace():
        return ""
    lexicon = load_lexicon()
    text = _clean(unicodedata.normalize("NFKC", text)).lower()
    text = _INNER_APOSTROPHE.sub("", text)  # "assalamu'alaikum" → "assalamualaikum"
    text = _split_symbols(text)
    text = _REPEATED_LETTER.sub(r"\1", text)  # "tolooong" → "tolong", "maaf" stays
    text = _CURRENCY_PREFIX.sub(r"\1 ", text)  # "rp15jt" → "rp 15jt"
    text = lexicon.suffix_re.sub(lambda m: f"{m[1]} {lexicon.suffixes[m[2]]}", text)
    text = _REDUPLICATION.sub(r"\1-\1\2", text)  # "ciri2" → "ciri-ciri", "tebak2an" too
    text = apply_phrases(" ".join(text.split()))
    return " ".join(lexicon.words.get(token, token) for token in text.split())


def apply_phrases(text: str) -> str:
    """Every lexicon phrase in the space-separated `text` replaced by its meaning."""
    lexicon = load_lexicon()
    if lexicon.phrase_re is None:
        return text
    return lexicon.phrase_re.sub(lambda m: lexicon.phrases[m[0]], text)


def _clean(text: str) -> str:
    """Drop invisible characters; control characters (newlines, tabs) become spaces."""
    text = _VARIATION_SELECTORS.sub("", text)
    return "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if unicodedata.category(ch) not in {"Cf", "Co", "Cs", "Cn"}
    )


def _split_symbols(text: str) -> str:
    """Put spaces around punctuation and emoji, keeping "ciri-ciri", "0812-3456" and "1.500".

    Joined punctuation hides words from the tokenizer ("paspor?" is not "paspor").
    """
    out: list[str] = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if unicodedata.category(ch)[0] not in "PS":
            out.append(ch)
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i < last else " "
        joins_word = ch == "-" and before.isalnum() and after.isalnum()
        joins_number = ch in ".," and before.isdigit() and after.isdigit()
        out.append(ch if joins_word or joins_number else f" {ch} ")
    return "".join(out)
