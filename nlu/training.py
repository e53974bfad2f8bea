"""Reads Rasa 3 training data (`version: "3.1"` YAML) so both engines learn from one source."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ENTITY_RE = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<name>[\w-]+)(?::(?P<value>[^)]+))?\)"
                       r"|\{(?P<json>[^}]*)\})")


@dataclass(frozen=True)
class Example:
    """One training sentence with its intent and entity annotations removed."""

    text: str
    intent: str
    entities: tuple[tuple[str, str, str], ...] = ()  # (entity, surface text, value)


@dataclass
class TrainingData:
    """Examples, synonyms (surface → canonical), lookup tables and regexes."""

    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    fingerprint: str = ""

    @property
    def intents(self) -> list[str]:
        """The intents present, sorted."""
        return sorted({e.intent for e in self.examples})


def strip_annotations(line: str) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """`ke [kamboja](country)` → ("ke kamboja", (("country", "kamboja", "kamboja"),))."""
    entities = []

    def plain(match: re.Match[str]) -> str:
        surface = match.group("text")
        if match.group("json") is not None:
            meta = json.loads("{" + match.group("json") + "}")
            entities.append((meta.get("entity", ""), surface, meta.get("value", surface)))
        else:
            entities.append((match.group("name"), surface, match.group("value") or surface))
        return surface

    return ENTITY_RE.sub(plain, line), tuple(entities)


def load_files(paths: list[Path]) -> TrainingData:
    """Load and merge Rasa NLU files; the fingerprint keys the embedded model cache."""
    data = TrainingData()
    digest = hashlib.sha256()
    for path in sorted(paths):
        raw = path.read_bytes()
        digest.update(path.name.encode() + raw)
        for block in (yaml.safe_load(raw) or {}).get("nlu") or []:
            _merge_block(data, block)
    data.fingerprint = digest.hexdigest()
    return data


def load_dir(directory: Path) -> TrainingData:
    """All `*.yml` files of a Rasa `data/` directory."""
    return load_files(list(directory.glob("*.yml")))


def dir_fingerprint(directory: Path) -> str:
    """The fingerprint `load_dir` would give, without parsing the YAML (a few milliseconds)."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _merge_block(data: TrainingData, block: dict) -> None:
    lines = [_item(line) for line in str(block.get("examples") or "").splitlines()]
    lines = [line for line in lines if line]
    if "intent" in block:
        for line in lines:
            text, entities = strip_annotations(line)
            data.examples.append(Example(text, block["intent"], entities))
            for _entity, surface, value in entities:
                if surface.lower() != value.lower():
                    data.synonyms[surface.lower()] = value
    elif "synonym" in block:
        for line in lines:
            data.synonyms[line.lower()] = block["synonym"]
    elif "lookup" in block:
        data.lookups.setdefault(block["lookup"], []).extend(lines)
    elif "regex" in block:
        data.regexes.setdefault(block["regex"], []).extend(lines)


def _item(line: str) -> str:
    line = line.strip()
    return line[1:].strip() if line.startswith("-") else ""
