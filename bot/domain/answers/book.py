"""The answer book: one sourced answer per intent, loaded from content/id/answers/.

Wrong or invented facts harm people here, so the book refuses to load when an answer lacks a
source, is too long for a cheap phone's first screen, or still holds a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.content.sources import Source, parse_source
from bot.domain.content.yamlfile import ContentError, load, where
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


@dataclass(frozen=True)
class Variant:
    """The text of an answer (or of one country's answer) with its sources."""

    short: str
    full: str
    sources: tuple[Source, ...]
    status: str | None = None


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

    def variant(self, country: str | None) -> Variant:
        """The country-specific text when there is one, else the general text."""
        return self.countries.get(country or "", self.text)


class AnswerBook:
    """All answers by intent."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers

    def __getitem__(self, intent: str) -> Answer:
        return self.answers[intent]

    def __contains__(self, intent: object) -> bool:
        return intent in self.answers

    @classmethod
    def load(cls, directory: Path) -> AnswerBook:
        """Load and validate every answer file; raises ContentError naming file and line."""
        answers = {}
        for path in sorted(directory.glob("*.yml")):
            answer = parse_answer(load(path), path)
            if answer.intent in answers:
                raise ContentError(f"{path}: a second answer for intent {answer.intent!r}")
            answers[answer.intent] = answer
        missing = [i for i in INTENTS if i not in answers]
        if missing:
            raise ContentError(f"{directory}: no answer for intent(s) {', '.join(missing)}")
        for answer in answers.values():
            bad = [r for r in answer.related if r not in answers or r == answer.intent]
            if bad:
                raise ContentError(f"{directory / (answer.intent + '.yml')}: related intent(s) "
                                   f"{', '.join(bad)} do not exist")
        return cls(answers)


def parse_answer(raw: Any, path: Path) -> Answer:
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
    countries = {name: _variant(v, path, f"{intent}/{name}", intent)
                 for name, v in (raw.get("countries") or {}).items()}
    if intent == "country_info":
        missing = [c for c in REQUIRED_COUNTRIES if c not in countries]
        if missing:
            raise ContentError(f"{where(path, raw)}: country_info lacks {', '.join(missing)}")
    return Answer(intent, title, questions, _variant(raw, path, intent, intent), related,
                  action, countries)


def _variant(raw: Any, path: Path, context: str, intent: str) -> Variant:
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: {context}: expected a mapping")
    short, full = _text(raw, "short", path).strip(), _text(raw, "full", path).strip()
    for name, value, limit in (("short", short, SHORT_MAX), ("full", full, FULL_MAX)):
        if len(value) > limit:
            raise ContentError(f"{where(path, raw)}: {context}: {name} is {len(value)} "
                               f"characters; the limit is {limit}")
        if PLACEHOLDER_RE.search(value):
            raise ContentError(f"{where(path, raw)}: {context}: {name} holds a placeholder "
                               f"{PLACEHOLDER_RE.search(value).group(0)!r}")  # type: ignore[union-attr]
    sources = tuple(parse_source(s, path, context) for s in raw.get("sources") or ())
    if not sources and intent not in UNSOURCED:
        raise ContentError(f"{where(path, raw)}: {context}: every fact needs a source")
    return Variant(short, full, sources, raw.get("status"))


def _text(raw: dict, key: str, path: Path) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where(path, raw)}: {key!r} is missing or empty")
    return value
