"""The "one fact, one place" rule: prose states no number, phone, URL or article by itself.

Every digit a villager reads must come from the fact registry (`{fakta:ID}`), where it has a
source and a date; a number typed straight into an answer is how a stale passport fee or a
wrong hotline survives. List numbering at the start of a line is the one exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.domain.content.facts import REFERENCE_RE, FactRegistry
from bot.domain.content.yamlfile import ContentError, Located, load, where

# Folders whose prose is not yet converted to fact references: one switch, empty now that
# every folder of content/id is checked. A folder being converted may sit here meanwhile.
LENIENT: set[str] = set()

# Keys whose values are identifiers, machine fields or sources, not sentences for villagers.
NOT_PROSE = frozenset({
    "id", "intent", "topic", "action", "related", "status", "correct", "image", "source",
    "sources", "fact", "facts", "valid_until", "replaces", "replaced_by", "date", "url",
    # the offer checker's rules: flag names, regular expressions and country spellings
    "name", "patterns", "unless", "aliases", "iso", "params",
})
LIST_MARKER_RE = re.compile(r"(?m)^[ \t]*\d{1,2}[.)](?=\s)")
URL_RE = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:go\.id|co\.id|or\.id|"
                    r"com|org|net|id)\b(?:/\S*)?", re.IGNORECASE)
ACRONYM_RE = re.compile(r"\b[A-Z]+[0-9][A-Z][A-Za-z0-9]*\b")
DIGITS_RE = re.compile(r"[\w+$]*\d[\w.,:/+%\-–$]*(?<![.,:\-–])")


@dataclass(frozen=True)
class Finding:
    """One piece of prose that states something without a fact behind it."""

    where: str
    field: str
    snippet: str
    message: str = ""  # a reference to an unknown or replaced fact: the registry's words

    def __str__(self) -> str:
        if self.message:
            return self.message
        return (f"{self.where}: {self.field}: {self.snippet!r} has no fact behind it; add it "
                "to content/id/facts/ and write {fakta:ID}")


def unbacked(text: str) -> list[tuple[int, str]]:
    """(offset, snippet) of each URL and number in `text` outside fact references.

    List numbering at the start of a line and names that merely contain a digit between
    capitals (P3MI, BP2MI, SISKOP2MI) are not statements of fact.
    """
    blank = _blank(text, REFERENCE_RE, LIST_MARKER_RE, ACRONYM_RE)
    found = [(m.start(), m.group(0)) for m in URL_RE.finditer(blank)]
    blank = _blank(blank, URL_RE)
    found += [(m.start(), m.group(0)) for m in DIGITS_RE.finditer(blank)]
    return sorted(found)


def _blank(text: str, *patterns: re.Pattern[str]) -> str:
    """`text` with every match of `patterns` replaced by spaces (offsets stay the same)."""
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def check_tree(root: Path, registry: FactRegistry) -> list[Finding]:
    """Every finding under `root` (content/id), except the fact files and LENIENT folders."""
    findings: list[Finding] = []
    for path in sorted(root.rglob("*.yml")):
        folder = path.relative_to(root).parts[0]
        if folder == "facts" or folder in LENIENT:
            continue
        findings += check_file(path, registry)
    return findings


def check_file(path: Path, registry: FactRegistry) -> list[Finding]:
    """Findings of one content file; `fact:` fields must name a usable fact."""
    return list(_walk(load(path), path, registry, "", None))


def _walk(node: Any, path: Path, registry: FactRegistry, field: str,
          parent: Any) -> Iterator[Finding]:
    if isinstance(node, dict):
        if "fact" in node:
            yield from _use(registry, str(node["fact"]), f"{where(path, node)}: {field or 'fact'}")
        for key, value in node.items():
            if key in NOT_PROSE or (key == "options" and "correct" in node):
                continue
            yield from _walk(value, path, registry, f"{field}.{key}".lstrip("."), node)
        if isinstance(node.get("options"), list) and isinstance(node.get("correct"), int):
            options = node["options"]
            if 0 <= node["correct"] < len(options):  # distractors are wrong on purpose
                yield from _walk(options[node["correct"]], path, registry,
                                 f"{field}.options".lstrip("."), node)
    elif isinstance(node, list):
        for item in node:
            if field.endswith("questions") and isinstance(item, str):
                continue  # a villager's way of asking, not a claim of ours
            yield from _walk(item, path, registry, field, parent)
    elif isinstance(node, str):
        key = field.rsplit(".", 1)[-1]
        for offset, snippet in unbacked(node):
            line = parent.line_of(key, node, offset) if isinstance(parent, Located) else 0
            yield Finding(f"{path}:{line}" if line else str(path), field, snippet)
        for match in REFERENCE_RE.finditer(node):
            line = parent.line_of(key, node, match.start()) if isinstance(parent, Located) else 0
            here = f"{path}:{line}" if line else where(path, parent)
            yield from _use(registry, match.group(1).strip(), f"{here}: {field}")


def _use(registry: FactRegistry, fact_id: str, context: str) -> Iterator[Finding]:
    """A finding for a reference to an unknown or replaced fact, so all of them are listed."""
    try:
        registry.use(fact_id, context)
    except ContentError as exc:
        yield Finding(context, "", fact_id, str(exc))


def used_facts(root: Path) -> set[str]:
    """The ids of every fact some content file refers to (the fact files excluded)."""
    return {match.group(1).strip() for path in root.rglob("*.yml")
            if path.relative_to(root).parts[0] != "facts"
            for match in REFERENCE_RE.finditer(path.read_text(encoding="utf-8"))}


def require_backed(root: Path, registry: FactRegistry, today: date, limit: int = 20) -> int:
    """Raise ContentError listing the first `limit` findings; returns how many facts are used.

    A used fact past its `valid_until` is a finding too: someone must confirm or replace it.
    """
    findings = [str(f) for f in check_tree(root, registry)]
    used = sorted(used_facts(root) & set(registry.facts))
    findings += [f"{registry[i].where}: fact {i!r} expired on {registry[i].valid_until}; "
                 "confirm it (new valid_until) or replace it" for i in used
                 if registry[i].expired(today)]
    if findings:
        shown = "\n".join(findings[:limit])
        more = len(findings) - limit
        raise ContentError(shown + (f"\n... and {more} more" if more > 0 else ""))
    return len(used)
