"""The entries' question variants as NLU training data (`nlu/data/answer_entries.yml`).

A question an entry answers must also reach the entry's intent, so its variants train the
NLU too. They are written from the content, never by hand, skipping any example that is
already training data elsewhere or part of a held-out set (which would spoil its measure).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from bot.domain.answers.book import AnswerBook

FILE_NAME = "answer_entries.yml"
ANNOTATION_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HEADER = (
    'version: "3.1"\n'
    "# The question variants of the answer entries (content/id/answers/*.yml, `entries:`), as\n"
    "# training examples of the entry's intent, except those already in nlu/data or in a\n"
    "# held-out set. Written by `desabot content nlu-entries`; do not edit by hand.\n"
    "nlu:\n"
)


def plain(example: str) -> str:
    """An example without entity annotations, lowercased and with single spaces."""
    return " ".join(ANNOTATION_RE.sub(r"\1", example).lower().split())


def examples_in(paths: Iterable[Path]) -> set[str]:
    """Every example (plain) in these Rasa YAML files."""
    found = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = line.strip()
            if item.startswith("- ") and not item.startswith("- intent:"):
                found.add(plain(item[2:]))
    return found


def entry_training_data(book: AnswerBook, taken: set[str], countries: list[str]) -> str:
    """The YAML text: each intent's entry variants not in `taken`, countries annotated."""
    spelled = sorted(set(countries), key=len, reverse=True)
    country_re = re.compile(r"\b(" + "|".join(map(re.escape, spelled)) + r")\b")
    seen = set(taken)
    parts = [HEADER]
    for intent, answer in book.answers.items():
        fresh = []
        for question in (q for e in answer.entries.values() for q in e.questions):
            if plain(question) not in seen:
                seen.add(plain(question))
                fresh.append(country_re.sub(r"[\1](country)", question.lower()))
        if fresh:
            parts.append(f"- intent: {intent}\n  examples: |\n")
            parts += [f"    - {q}\n" for q in fresh]
    return "".join(parts)


def country_lookup(data_dir: Path) -> list[str]:
    """The country spellings of the NLU's lookup table (`- lookup: country`)."""
    text = (data_dir / "lookups.yml").read_text(encoding="utf-8")
    block = text.split("- lookup: country", 1)[1].split("- lookup:", 1)[0]
    return [line.strip()[2:] for line in block.splitlines() if line.strip().startswith("- ")]


def write_entry_training_data(book: AnswerBook, nlu_dir: Path, held_out: list[Path]) -> Path:
    """Regenerate `nlu/data/answer_entries.yml`; returns its path."""
    data = nlu_dir / "data"
    others = [p for p in data.glob("*.yml") if p.name != FILE_NAME]
    taken = examples_in([*others, *(p for p in held_out if p.exists())])
    target = data / FILE_NAME
    target.write_text(entry_training_data(book, taken, country_lookup(data)), encoding="utf-8")
    return target
