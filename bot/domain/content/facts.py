"""The fact registry: every number, phone number, URL and law article the bot states, once.

Content refers to a fact as `{fakta:ID}` instead of repeating it, so a passport fee that a new
regulation changes is changed in one line of `content/id/facts/<topic>.yml`, and every answer,
lesson and quiz that states it changes with it, each naming the fact's source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.domain.content.sources import DATE_RE, Source, parse_source
from bot.domain.content.yamlfile import ContentError, load, where

FACT_ID_RE = re.compile(r"^[a-z0-9]+(?:[._][a-z0-9]+)*$")
REFERENCE_RE = re.compile(r"\{fakta:([^{}]*)\}")
# "statistik.30", "negara.2025_2": an id made from the value says nothing when the value changes
VALUE_ONLY_RE = re.compile(r"^\d+(?:_\d+)*$")
MAX_ASKED = 200  # a question, not a paragraph: long variants drown the short ones


@dataclass(frozen=True)
class Fact:
    """One sourced fact: its short form for prose, the full statement and where it is from."""

    id: str
    value: str
    statement: str
    source: Source
    valid_until: str | None = None
    replaces: str | None = None
    replaced_by: str | None = None
    where: str = ""
    asked: tuple[str, ...] = ()  # how villagers ask for it: the generated entry's variants

    def expired(self, today: date) -> bool:
        """True once `valid_until` has passed: the fact needs checking before it is used."""
        return self.valid_until is not None and date.fromisoformat(self.valid_until) < today


@dataclass(frozen=True)
class Rendered:
    """Prose with its fact references replaced by the facts' values."""

    text: str
    facts: tuple[Fact, ...]


class FactRegistry:
    """All facts by id, loaded from `content/id/facts/*.yml`."""

    def __init__(self, facts: dict[str, Fact]) -> None:
        self.facts = facts

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self.facts

    def __getitem__(self, fact_id: str) -> Fact:
        return self.facts[fact_id]

    @classmethod
    def load(cls, directory: Path) -> FactRegistry:
        """Load every fact file; an id used twice or a broken link between facts is an error."""
        facts: dict[str, Fact] = {}
        for path in sorted(directory.glob("*.yml")):
            raw = load(path)
            if not isinstance(raw, dict) or not isinstance(raw.get("facts"), list):
                raise ContentError(f"{path}: a fact file is a mapping with a 'facts:' list")
            for item in raw["facts"]:
                fact = parse_fact(item, path)
                if fact.id in facts:
                    raise ContentError(f"{fact.where}: fact {fact.id!r} is already defined in "
                                       f"{facts[fact.id].where}")
                facts[fact.id] = fact
        registry = cls(facts)
        registry._check_links()
        return registry

    def _check_links(self) -> None:
        for fact in self.facts.values():
            if fact.replaced_by and fact.replaced_by not in self.facts:
                raise ContentError(f"{fact.where}: fact {fact.id!r} is replaced by "
                                   f"{fact.replaced_by!r}, which does not exist")
            old = self.facts.get(fact.replaces or "")
            if old is not None and old.replaced_by != fact.id:
                raise ContentError(f"{old.where}: fact {old.id!r} is replaced by {fact.id!r}; "
                                   f"add 'replaced_by: {fact.id}' to it")

    def use(self, fact_id: str, context: str) -> Fact:
        """The fact content may state: known, not replaced by a newer one."""
        fact = self.facts.get(fact_id)
        if fact is None:
            raise ContentError(f"{context}: unknown fact {fact_id!r}")
        if fact.replaced_by:
            raise ContentError(f"{context}: fact {fact_id!r} was replaced by "
                               f"{fact.replaced_by!r}; use the new fact")
        return fact

    def render(self, text: str, context: str, origin: tuple[Path, int] | None = None) -> Rendered:
        """Replace every `{fakta:ID}` by its value; unknown or replaced facts are errors.

        With `origin` (the file and the line `text` starts on) an error names the line of the
        reference itself, not the start of the entry or file.
        """
        used: dict[str, Fact] = {}

        def value(match: re.Match[str]) -> str:
            here = context
            if origin is not None:
                line = origin[1] + text[:match.start()].count("\n") if origin[1] else 0
                here = f"{origin[0]}:{line}: {context}" if line else f"{origin[0]}: {context}"
            fact = self.use(match.group(1).strip(), here)
            used.setdefault(fact.id, fact)
            return fact.value

        return Rendered(REFERENCE_RE.sub(value, text), tuple(used.values()))


def parse_fact(raw: Any, path: Path) -> Fact:
    """Validate one fact entry; the message names the file, the line and what is wrong."""
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: each fact must be a mapping")
    here = where(path, raw)
    fact_id = str(raw.get("id") or "")
    if not FACT_ID_RE.match(fact_id):
        raise ContentError(f"{here}: fact id {fact_id!r} must be lowercase letters and digits "
                           "joined by dots or underscores")
    if VALUE_ONLY_RE.match(fact_id.rsplit(".", 1)[-1]):
        raise ContentError(f"{here}: fact id {fact_id!r} names a value, not what the fact is "
                           "about; use words (statistik.kbri_phnom_penh.kasus_2025)")
    for key in ("value", "statement"):
        if not str(raw.get(key) or "").strip():
            raise ContentError(f"{here}: fact {fact_id!r} lacks {key!r}")
    if "source" not in raw:
        raise ContentError(f"{here}: fact {fact_id!r} lacks its source")
    source = parse_source(raw["source"], path, f"fact {fact_id}")
    valid_until = raw.get("valid_until")
    if valid_until is not None and not DATE_RE.match(str(valid_until)):
        raise ContentError(f"{here}: fact {fact_id!r}: valid_until must be YYYY-MM-DD")
    links = {key: str(raw[key]) if raw.get(key) else None for key in ("replaces", "replaced_by")}
    return Fact(fact_id, str(raw["value"]).strip(), str(raw["statement"]).strip(), source,
                str(valid_until) if valid_until else None, links["replaces"],
                links["replaced_by"], here, _asked(raw.get("asked"), here, fact_id))


def _asked(raw: Any, here: str, fact_id: str) -> tuple[str, ...]:
    """The optional `asked:` list: questions as villagers type them, each a short line."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(q, str) and q.strip() for q in raw):
        raise ContentError(f"{here}: fact {fact_id!r}: asked must be a list of questions")
    too_long = [q for q in raw if len(q) > MAX_ASKED]
    if too_long:
        raise ContentError(f"{here}: fact {fact_id!r}: a question in asked is over "
                           f"{MAX_ASKED} characters: {too_long[0][:40]!r}...")
    return tuple(q.strip() for q in raw)


def join_sources(own: tuple[Source, ...], facts: tuple[Fact, ...]) -> tuple[Source, ...]:
    """The sources of the facts used first (they back what is said), then the file's own."""
    seen: dict[str, Source] = {}
    for source in (*(f.source for f in facts), *own):
        seen.setdefault(source.url, source)
    return tuple(seen.values())
