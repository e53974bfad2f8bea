"""Hotlines and other facts that interface strings state, filled in at run time.

A phone number in a Babel catalog string is a copy the fact registry cannot see: when the
police or KP2MI change a hotline, the catalog would keep the old one. So interface strings
carry placeholders ("call the police on {police}") and take the numbers from
`content/id/facts/`, and `desabot content check` refuses a catalog string that spells out a
number some contact fact holds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from bot.core.paths import content_dir
from bot.domain.content.facts import FactRegistry
from bot.domain.content.yamlfile import ContentError

EMERGENCY = {"police": "kanal.polisi", "kp2mi": "kanal.kp2mi_call_center"}
CONTACT_PREFIXES = ("kanal.", "kontak.")
PLACEHOLDER_RE = re.compile(r"\{[^{}]*\}")
NUMBER_RE = re.compile(r"\+?\d[\d\s-]*\d|\d")


@lru_cache(maxsize=1)
def _registry() -> FactRegistry:
    return FactRegistry.load(content_dir() / "id" / "facts")


def fact_value(fact_id: str) -> str:
    """The value of a current fact, for an interface string's placeholder."""
    return _registry().use(fact_id, "interface string").value


def emergency_numbers() -> dict[str, str]:
    """The emergency lines interface strings name: {police} and {kp2mi}."""
    return {name: fact_value(fact_id) for name, fact_id in EMERGENCY.items()}


def _digits(text: str) -> set[str]:
    """Each number in `text` with spaces and dashes dropped ("0800-1000" -> "08001000")."""
    return {re.sub(r"[\s-]", "", m.group(0)) for m in NUMBER_RE.finditer(text)}


def hardcoded_contacts(catalog: Path, registry: FactRegistry) -> list[str]:
    """`file:line` problems: catalog strings that spell out a contact fact's number."""
    numbers = {d: f.id for f in registry.facts.values() if f.id.startswith(CONTACT_PREFIXES)
               for d in _digits(f.value) if len(d) >= 3}
    with catalog.open("rb") as fh:
        messages = list(read_po(fh))
    problems = []
    for message in messages:
        if not message.id:
            continue
        texts = [message.id, message.string] if isinstance(message.id, str) else \
            [*message.id, *(message.string or ())]
        found = {numbers[d] for t in texts if t for d in _digits(PLACEHOLDER_RE.sub(" ", t))
                 if d in numbers}
        line = message.lineno or 0
        problems += [f"{catalog}:{line}: interface string states the number of fact {fid!r}; "
                     f"write a placeholder and fill it from the fact at run time"
                     for fid in sorted(found)]
    return problems


def require_no_hardcoded_contacts(catalog: Path, registry: FactRegistry) -> None:
    """Raise ContentError naming every catalog string with a contact number in it."""
    problems = hardcoded_contacts(catalog, registry)
    if problems:
        raise ContentError("\n".join(problems))
