"""The answer book: one sourced answer per intent, loaded from content/id/answers/.

Wrong or invented facts harm people here, so the book refuses to load when an answer lacks a
source, is too long for a cheap phone's first screen, or still holds a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.content.facts import FactRegistry, join_sources
from bot.domain.content.sources import Source, parse_source
from bot.domain.content.yamlfile import ContentError, Located, key_line, load, where
from nlu.intents import FEATURE_INTENTS, INTENTS

SHORT_MAX = 600
FULL_MAX = 3500
TITLE_MAX = 28
UNSOURCED = frozenset({"greet", "goodbye", "thanks", "bot_help", "out_of_scope"})
REQUIRED_COUNTRIES = (
    "Kamboja", "Myanmar", "Laos", "Thailand", "Filipina", "Vietnam", "Malaysia", "Singapura",
    "Brunei", "Taiwan", "Hong Kong", "Korea Selatan", "Jepang", "Arab Saudi",
)
PLACEHOLDER_RE = re.compile(r"\{[^}]*\}|\bTODO\b|\bXXX\b|lorem ipsum|\[\[|\]\]", re.IGNORECASE)
ENTRY_ID_RE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
ENTRY_ID_MAX = 32  # "entry:<intent>:<id>" must fit Telegram's 64 bytes of callback data
SHORT_SOURCES_MAX = 6  # every fact of a short text names its source; more is too long


@dataclass(frozen=True)
class Variant:
    """The text of an answer (or of one country's answer) with its sources."""

    short: str
    full: str
    sources: tuple[Source, ...]
    status: str | None = None
    short_sources: tuple[Source, ...] = ()  # the sources shown under the short text
    facts: tuple[str, ...] = ()  # ids of the registry facts the short text states


@dataclass(frozen=True)
class Entry:
    """The answer to one question within an intent ("how many came home in 2024")."""

    id: str
    intent: str
    questions: tuple[str, ...]
    text: Variant
    related: tuple[str, ...]
    primary: tuple[str, ...] = ()  # the facts it answers (its `facts:`), stated in its short text

    @property
    def generated(self) -> bool:
        """True for an entry made from a registry fact's statement (factentries.py)."""
        return self.id.startswith("f_")


@dataclass(frozen=True)
class Answer:
    """One intent's answer, as content authors wrote it."""

    intent: str
    title: str
    questions: tuple[str, ...]
    text: Variant
    related: tuple[str, ...]
    action: str | None = None
    countries: dict[str, Variant] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)

    def variant(self, country: str | None) -> Variant:
        """The country-specific text when there is one, else the general text."""
        return self.countries.get(country or "", self.text)


class AnswerBook:
    """All answers by intent."""

    def __init__(self, answers: dict[str, Answer],
                 generated: dict[str, Entry] | None = None) -> None:
        self.answers = answers
        self.generated = generated or {}  # entries made from facts, by id (factentries.py)
        self.values: dict[str, str] = {}  # fact id -> value, for the facts of `generated`
        self.registry: FactRegistry | None = None  # the facts the answers were rendered with

    def fact_values(self, entry: Entry) -> list[str]:
        """The values of the facts an entry answers ("USD 3.650")."""
        return [self.values.get(f, "") for f in entry.text.facts]

    def entry(self, intent: str, entry_id: str) -> Entry | None:
        """A written entry of `intent`, or a generated one that belongs to `intent`."""
        entry = self.answers[intent].entries.get(entry_id) if intent in self.answers else None
        if entry is None:
            entry = self.generated.get(entry_id)
            if entry is not None and entry.intent != intent:
                return None
        return entry

    def __getitem__(self, intent: str) -> Answer:
        return self.answers[intent]

    def __contains__(self, intent: object) -> bool:
        return intent in self.answers

    @classmethod
    def load(cls, directory: Path, facts: FactRegistry | None = None) -> AnswerBook:
        """Load and validate every answer file; raises ContentError naming file and line.

        Fact references are rendered with `facts` (by default the registry next to the
        answers, `content/id/facts/`).
        """
        if facts is None:
            facts = FactRegistry.load(directory.parent / "facts")
        answers = {}
        for path in sorted(directory.glob("*.yml")):
            answer = parse_answer(load(path), path, facts)
            if answer.intent in answers:
                raise ContentError(f"{path}: a second answer for intent {answer.intent!r}")
            answers[answer.intent] = answer
        missing = [i for i in INTENTS if i not in answers]
        if missing:
            raise ContentError(f"{directory}: no answer for intent(s) {', '.join(missing)}")
        for answer in answers.values():
            bad = [r for r in answer.related if r not in answers or r == answer.intent]
            bad += [r for e in answer.entries.values() for r in e.related if r not in answers]
            if bad:
                raise ContentError(f"{directory / (answer.intent + '.yml')}: related intent(s) "
                                   f"{', '.join(bad)} do not exist")
        from bot.domain.answers.factentries import fact_entries, with_asked

        for answer in answers.values():
            answer.entries.update(with_asked(answer.entries, facts))
        book = cls(answers, fact_entries(facts, answers))
        book.values = {f: facts[f].value for e in book.generated.values() for f in e.text.facts}
        book.registry = facts
        return book


def parse_answer(raw: Any, path: Path, facts: FactRegistry) -> Answer:
    """Build one Answer from its YAML mapping, checking the rules of the module docstring."""
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: an answer file must be a mapping")
    intent = _text(raw, "intent", path)
    if intent not in INTENTS:
        raise ContentError(f"{where(path, raw)}: unknown intent {intent!r}")
    title = _text(raw, "title", path)
    if len(title) > TITLE_MAX:
        raise ContentError(f"{where(path, raw)}: title is {len(title)} characters; "
                           f"a button fits {TITLE_MAX}")
    questions = tuple(str(q) for q in raw.get("questions") or ())
    if len(questions) < 3:
        raise ContentError(f"{where(path, raw)}: give at least 3 question variants")
    related = tuple(raw.get("related") or ())
    if not 2 <= len(related) <= 3:
        raise ContentError(f"{where(path, raw)}: related must list 2 or 3 intents")
    action = raw.get("action")
    if (intent in FEATURE_INTENTS) != (action == intent):
        raise ContentError(f"{where(path, raw)}: action must be {intent!r} exactly for "
                           "feature intents and absent otherwise")
    countries = {name: _variant(v, path, f"{intent}/{name}", intent, facts)
                 for name, v in (raw.get("countries") or {}).items()}
    if intent == "country_info":
        missing = [c for c in REQUIRED_COUNTRIES if c not in countries]
        if missing:
            raise ContentError(f"{where(path, raw)}: country_info lacks {', '.join(missing)}")
    entries: dict[str, Entry] = {}
    for item in raw.get("entries") or ():
        entry = _entry(item, path, intent, facts)
        if entry.id in entries:
            raise ContentError(f"{where(path, item)}: a second entry {entry.id!r} in {intent}")
        entries[entry.id] = entry
    return Answer(intent, title, questions, _variant(raw, path, intent, intent, facts), related,
                  action, countries, entries)


def _entry(raw: Any, path: Path, intent: str, facts: FactRegistry) -> Entry:
    """One question-level entry: its own variants, texts, facts and related buttons."""
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: each entry of {intent} must be a mapping")
    entry_id = str(raw.get("id") or "")
    if not ENTRY_ID_RE.match(entry_id) or len(entry_id) > ENTRY_ID_MAX:
        raise ContentError(f"{where(path, raw)}: entry id {entry_id!r} must be lowercase "
                           f"letters and digits joined by underscores, at most {ENTRY_ID_MAX}")
    context = f"{intent}#{entry_id}"
    questions = tuple(str(q) for q in raw.get("questions") or ())
    if len(questions) < 3:
        raise ContentError(f"{where(path, raw)}: {context}: give at least 3 question variants")
    related = tuple(raw.get("related") or ())
    if len(related) > 3:
        raise ContentError(f"{where(path, raw)}: {context}: at most 3 related intents")
    texts = Located(raw)  # the full text defaults to the short one, reported at the same line
    texts.setdefault("full", raw.get("short"))
    texts.line = getattr(raw, "line", 0)
    lines = dict(getattr(raw, "value_lines", {}))
    texts.value_lines = {"full": lines.get("short", 0)} | lines
    variant = _variant(texts, path, context, intent, facts, tuple(raw.get("facts") or ()))
    missing = [f for f in raw.get("facts") or () if f not in variant.facts]
    if missing:
        raise ContentError(f"{where(path, raw)}: {context}: the short text must state the "
                           f"fact(s) it answers: {', '.join(missing)}")
    return Entry(entry_id, intent, questions, variant, related, tuple(raw.get("facts") or ()))


def _variant(raw: Any, path: Path, context: str, intent: str, facts: FactRegistry,
             primary: tuple[str, ...] = ()) -> Variant:
    """Texts rendered from the registry, with the sources the short text must name.

    Those are the sources of the facts it states, the `primary` facts' (the ones an entry
    answers) first, so the fact asked for is always named with its source.
    """
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: {context}: expected a mapping")
    here = f"{where(path, raw)}: {context}"
    short = facts.render(_text(raw, "short", path).strip(), f"{context}: short",
                         (path, key_line(raw, "short") or getattr(raw, "line", 0)))
    full = facts.render(_text(raw, "full", path).strip(), f"{context}: full",
                        (path, key_line(raw, "full") or getattr(raw, "line", 0)))
    variant = _checked(raw, path, context, intent, short.text, full.text)
    own = variant.sources
    if not own and not full.facts and not short.facts and intent not in UNSOURCED:
        raise ContentError(f"{here}: every fact needs a source")
    stated = sorted(short.facts, key=lambda f: f.id not in primary)
    shown = join_sources((), tuple(stated))[:SHORT_SOURCES_MAX] or own[:1]
    return Variant(variant.short, variant.full, join_sources(own, short.facts + full.facts),
                   variant.status, shown, tuple(f.id for f in short.facts))


def _checked(raw: dict, path: Path, context: str, intent: str, short: str,
             full: str) -> Variant:
    for name, value, limit in (("short", short, SHORT_MAX), ("full", full, FULL_MAX)):
        if len(value) > limit:
            raise ContentError(f"{where(path, raw)}: {context}: {name} is {len(value)} "
                               f"characters; the limit is {limit}")
        if PLACEHOLDER_RE.search(value):
            raise ContentError(f"{where(path, raw)}: {context}: {name} holds a placeholder "
                               f"{PLACEHOLDER_RE.search(value).group(0)!r}")  # type: ignore[union-attr]
    sources = tuple(parse_source(s, path, context) for s in raw.get("sources") or ())
    return Variant(short, full, sources, raw.get("status"))


def _text(raw: dict, key: str, path: Path) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where(path, raw)}: {key!r} is missing or empty")
    return value
