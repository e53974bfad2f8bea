"""Which sourced statements of the fact sheet can the bot answer, and where?

Villagers ask about single facts (a fee, a hotline, a count, a law's penalty). An answer can
only carry such a fact when the registry has it (with the fact sheet's URL as its source) and
an answer entry states it in its short text, the first message the villager reads. This module
lines the fact sheet's bullets up against the registry and the answer book so that a gap is
a line in a report, not a question the bot gets wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.answers.book import AnswerBook, Variant
from bot.domain.content.facts import FactRegistry

URL_RE = re.compile(r"\[(https?://[^\s,\]]+)")
SECTION_RE = re.compile(r"^#{2,3}\s+(\S+)")
# a number a villager could ask for: "Rp370 ribu", "15 tahun", "148", "1.297"; not a law's
# number alone ("UU 18/2017", "Pasal 5") nor a year in a date
NUMBER_RE = re.compile(r"(?<![\w/])\d[\d.,]*(?![\w/])")
WORD_RE = re.compile(r"[a-z0-9]+")
# words every statement shares; they say nothing about which bullet a fact states
COMMON_WORDS = frozenset(
    "yang dan di ke dari untuk dengan atau pada dalam ini itu oleh adalah akan tidak bagi "
    "sebagai juga karena menurut antara lain para dapat harus bisa telah sudah masih lebih "
    "serta anda".split())
# a fact carries a bullet when this share of its statement's words is in the bullet: facts
# state one piece of a long bullet, and another bullet citing the same page shares few words
CARRY_SHARE = 0.45


@dataclass(frozen=True)
class Bullet:
    """One sourced statement of the fact sheet."""

    section: str
    line: int
    text: str
    urls: tuple[str, ...]
    replaced: bool  # marked "diganti": a newer bullet replaces it

    @property
    def has_number(self) -> bool:
        """True when the statement (without its source brackets) holds a figure."""
        return bool(NUMBER_RE.search(self.text.split(" — [", 1)[0]))


@dataclass(frozen=True)
class Coverage:
    """A bullet with the registry facts from its sources and the entries that state them."""

    bullet: Bullet
    facts: tuple[str, ...]
    in_entries: tuple[str, ...]  # "intent#entry" labels whose short text states one of them
    in_answers: tuple[str, ...]  # any short text (general, country or entry) stating one
    generated: tuple[str, ...] = ()  # entries made from the facts' own statements

    @property
    def answered(self) -> bool:
        """A question about this bullet can get a written entry that carries the fact."""
        return bool(self.in_entries)

    @property
    def answerable(self) -> bool:
        """A written or a generated entry (the fact's statement) carries the fact."""
        return bool(self.in_entries or self.generated)


def bullets(text: str) -> list[Bullet]:
    """The fact sheet's bullets that name at least one source URL."""
    found: list[Bullet] = []
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        heading = SECTION_RE.match(line)
        if heading:
            section = heading.group(1)
            continue
        if not line.startswith("- "):
            continue
        urls = tuple(dict.fromkeys(URL_RE.findall(line)))
        if urls:
            found.append(Bullet(section, number, line[2:], urls, "diganti" in line.lower()))
    return found


def words(text: str) -> frozenset[str]:
    """The telling words of a text: lowercase, three characters or more, not common words."""
    return frozenset(w for w in WORD_RE.findall(text.lower())
                     if len(w) > 2 and w not in COMMON_WORDS)


def carry_share(bullet: Bullet, statement: str) -> float:
    """The share of a statement's telling words that the bullet (without its gloss) holds."""
    said = words(statement)
    return len(said & words(bullet.text.split(" — *", 1)[0])) / max(len(said), 1)


def uncarried(rows: list[Coverage], registry: FactRegistry) -> list[tuple[Coverage, float]]:
    """Current bullets no registry fact carries (same source URL and enough shared words).

    A URL match alone counts a bullet as covered when another bullet citing the same page has
    a fact; a villager asking about this bullet's own content still gets nothing sourced.
    Each gap comes with the best share a same-URL fact reached (0 when none shares the URL).
    """
    gaps = []
    for row in rows:
        if row.bullet.replaced:
            continue
        best = max((carry_share(row.bullet, registry[f].statement + " " + registry[f].value)
                    for f in row.facts), default=0.0)
        if best < CARRY_SHARE:
            gaps.append((row, best))
    return gaps


def short_texts(book: AnswerBook) -> Iterable[tuple[str, Variant, bool]]:
    """(label, variant, is an entry) for every short text the bot can send."""
    for intent, answer in book.answers.items():
        yield intent, answer.text, False
        for country, variant in answer.countries.items():
            yield f"{intent}/{country}", variant, False
        for entry in answer.entries.values():
            yield f"{intent}#{entry.id}", entry.text, True


def stated_by(book: AnswerBook) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Fact id -> labels of entries stating it; fact id -> labels of any short text."""
    entries: dict[str, list[str]] = {}
    anywhere: dict[str, list[str]] = {}
    for label, variant, is_entry in short_texts(book):
        for fact_id in variant.facts:
            anywhere.setdefault(fact_id, []).append(label)
            if is_entry:
                entries.setdefault(fact_id, []).append(label)
    return entries, anywhere


def coverage(sheet: list[Bullet], registry: FactRegistry, book: AnswerBook) -> list[Coverage]:
    """Every bullet with its facts (sources match by URL) and who states them."""
    by_url: dict[str, list[str]] = {}
    for fact in registry.facts.values():
        if not fact.replaced_by:
            by_url.setdefault(fact.source.url, []).append(fact.id)
    entries, anywhere = stated_by(book)
    made: dict[str, list[str]] = {}
    for entry in book.generated.values():
        for fact_id in entry.text.facts:
            made.setdefault(fact_id, []).append(f"{entry.intent}#{entry.id}")
    rows = []
    for bullet in sheet:
        facts = tuple(dict.fromkeys(f for url in bullet.urls for f in by_url.get(url, ())))
        rows.append(Coverage(
            bullet, facts,
            tuple(dict.fromkeys(e for f in facts for e in entries.get(f, ()))),
            tuple(dict.fromkeys(a for f in facts for a in anywhere.get(f, ()))),
            tuple(dict.fromkeys(g for f in facts for g in made.get(f, ())))))
    return rows


def unstated_facts(registry: FactRegistry, book: AnswerBook) -> list[str]:
    """Current facts with a figure that no short text states (nobody can be told them).

    Facts used only by lessons, quizzes or the offer checker count as unstated here; the
    caller decides which topics (file prefixes) to hold to this.
    """
    _, anywhere = stated_by(book)
    return sorted(f.id for f in registry.facts.values()
                  if not f.replaced_by and re.search(r"\d", f.value) and f.id not in anywhere)
