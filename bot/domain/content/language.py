"""Plain-language rules that a machine can check (audit of 2026-12-01, section 7).

Villagers read these texts on a phone, many with primary-school education, so the bot
speaks one way and gives every foreign amount in rupiah:
- one form of address, "Anda": "kamu", "kau", "lu", "engkau" and the "-mu" ending are refused;
- an amount in a foreign currency (USD, RM, NT$, HK$, SGD, won, ...) needs a rupiah figure
  marked approximate ("± Rp...", "sekitar Rp...", "kira-kira Rp...") in the same sentence, or
  the exact rupiah sum the source gives in brackets right after it ("USD 28 (Rp459.526)");
- English words that have plain Indonesian ones ("hotline", "scammer", "call center") appear
  only as a gloss in brackets after the Indonesian word ("tombol darurat (panic button)") or
  inside quotation marks (the words of an advertisement).
Jargon explained on first use and short sentences need a reader; see docs/content-audit-fixes.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from bot.domain.content.facts import REFERENCE_RE, FactRegistry
from bot.domain.content.prose import NOT_PROSE
from bot.domain.content.yamlfile import ContentError, Located, load

FOLDERS = ("answers", "lessons", "quizzes", "offers")
ADDRESS_RE = re.compile(r"(?i)(?<![\w-])(?:kamu|kau|engkau|lu|elu|lo|elo|dikau)(?![\w-])|"
                        r"(?<=[a-z])mu(?![\w-])")
NOT_MU = frozenset({"ilmu", "temu", "bertemu", "ketemu", "tamu", "jamu", "rumus", "umum"})
CURRENCY = (r"US\$|USD|dolar AS|RM|MYR|ringgit|NT\$|TWD|HK\$|HKD|S\$|SGD|SAR|riyal|AED|"
            r"QAR|KWD|BND|EUR|€|AUD|PLN|TRY|PHP|THB|baht|won|KRW|yen|JPY|¥")
FOREIGN_RE = re.compile(rf"(?<![\w$])(?:(?:{CURRENCY})\s?\d[\d.,]*(?:\s?(?:juta|ribu))?|"
                        rf"\d[\d.,]*\s?(?:juta\s)?(?:won|yen|ringgit|riyal|baht|dolar AS)(?!\w))")
RUPIAH_NEAR_RE = re.compile(r"(?:±|sekitar|kira-kira|kurang lebih|setara)\s?Rp", re.IGNORECASE)
EXACT_RUPIAH_RE = re.compile(r"\s?\(Rp\s?\d")
SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s|\n")
ENGLISH = ("scammer", "scamming", "online scam", "hotline", "call center", "panic button",
           "customer service", "special program", "profiling", "chatting")
ENGLISH_RE = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(re.escape(w) for w in ENGLISH) +
                        r")s?(?![\w-])")
BRACKETS_RE = re.compile(r"\([^()]*\)|\"[^\"]*\"|“[^”]*”|'[^']*'")


@dataclass(frozen=True)
class Problem:
    """One language problem: where, what and a short piece of the text."""

    where: str
    rule: str
    snippet: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.snippet!r}"


def problems_in(text: str) -> list[tuple[int, str, str]]:
    """(offset, rule, snippet) for every rule `text` (rendered prose) breaks."""
    found = [(m.start(), "address the reader as 'Anda'", m.group(0))
             for m in ADDRESS_RE.finditer(text) if _word_at(text, m) not in NOT_MU]
    for m in FOREIGN_RE.finditer(text):
        exact = EXACT_RUPIAH_RE.match(text, m.end())  # "USD 28 (Rp459.526)": the billed sum
        if not exact and not RUPIAH_NEAR_RE.search(_sentence(text, m.start(), m.end())):
            found.append((m.start(), "foreign amount without '± Rp...' in the sentence",
                          m.group(0)))
    outside = BRACKETS_RE.sub(lambda m: " " * len(m.group(0)), text)
    found += [(m.start(), "English word: write the Indonesian one (the English may follow "
               "in brackets)", m.group(0)) for m in ENGLISH_RE.finditer(outside)]
    return sorted(found)


def _word_at(text: str, match: re.Match[str]) -> str:
    start = match.start()
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start:match.end()].lower()


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or list line) around text[start:end]."""
    before = [m.end() for m in SENTENCE_END_RE.finditer(text, 0, start)]
    after = SENTENCE_END_RE.search(text, end)
    return text[before[-1] if before else 0:after.start() if after else len(text)]


def require_plain(root: Path, registry: FactRegistry, limit: int = 20) -> int:
    """Raise ContentError listing the first `limit` problems; returns how many files passed."""
    problems = [str(p) for p in check_language(root, registry)]
    problems += [str(p) for p in check_catalog(root / "LC_MESSAGES" / "desabot.po")]
    if problems:
        more = len(problems) - limit
        raise ContentError("\n".join(problems[:limit]) +
                           (f"\n... and {more} more" if more > 0 else ""))
    return sum(1 for folder in FOLDERS for _ in (root / folder).rglob("*.yml"))


def check_catalog(catalog: Path) -> list[Problem]:
    """The same rules on the Indonesian interface strings (msgstr) of a Babel catalog."""
    if not catalog.exists():
        return []
    with catalog.open("rb") as fh:
        messages = [m for m in read_po(fh) if m.id]
    problems = []
    for message in messages:
        strings = [message.string] if isinstance(message.string, str) else message.string
        for text in strings or ():
            problems += [Problem(f"{catalog}:{message.lineno}", rule, snippet)
                         for _, rule, snippet in problems_in(text or "")]
    return problems


def check_language(root: Path, registry: FactRegistry) -> list[Problem]:
    """Every language problem in the prose of `root` (content/id), with file and line."""
    problems: list[Problem] = []
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*.yml")):
            problems += _walk(load(path), path, registry, "", None)
    return problems


def _walk(node: Any, path: Path, registry: FactRegistry, field: str, parent: Any,
          line: int = 0) -> Iterator[Problem]:
    key = field.rsplit(".", 1)[-1]
    if isinstance(node, dict):
        for name, value in node.items():
            if name in NOT_PROSE or name == "options":
                continue
            yield from _walk(value, path, registry, f"{field}.{name}".lstrip("."), node)
        options, correct = node.get("options"), node.get("correct")
        if isinstance(options, list) and isinstance(correct, int) and 0 <= correct < len(options):
            yield from _walk(options[correct], path, registry, f"{field}.options", node,
                             _item_line(node, "options", correct))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            if key == "questions" and isinstance(item, str):
                continue  # a villager's way of asking, not a text of ours
            yield from _walk(item, path, registry, field, parent, _item_line(parent, key, index))
    elif isinstance(node, str):
        first = line or (parent.line_of(key) if isinstance(parent, Located) else 0)
        for number, raw in enumerate(node.split("\n")):
            text = REFERENCE_RE.sub(lambda m: _value(registry, m.group(1).strip()), raw)
            for _offset, rule, snippet in problems_in(text):
                where = f"{path}:{first + number}" if first else str(path)
                yield Problem(where, rule, snippet)


def _item_line(parent: Any, key: str, index: int) -> int:
    lines = getattr(parent, "item_lines", {}).get(key, [])
    return lines[index] if index < len(lines) else 0


def _value(registry: FactRegistry, fact_id: str) -> str:
    return registry.facts[fact_id].value if fact_id in registry.facts else ""
