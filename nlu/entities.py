"""Entity extraction shared by the embedded engine: country, amount, phone, organization.

Country names are matched against the synonyms and lookup tables of the training data, so
adding "kemboja" to the data teaches both Rasa and the embedded engine at once.
"""

from __future__ import annotations

import re
from typing import Any

from nlu.amounts import find_amounts
from nlu.training import TrainingData

PHONE_RE = re.compile(r"(?<!\d)(?:\+62|62|0)8[1-9](?:[\s.-]?\d){6,11}(?!\d)")
ORG_RE = re.compile(r"\b(?:PT|CV|LPK|P3MI|PJTKI|Yayasan)\.?\s+[\w(]", re.IGNORECASE)
ORG_STOP = frozenset(
    "resmi legal ilegal gak ga nggak enggak tidak apa apakah itu ini berizin terdaftar punya "
    "izin aman atau dan yang di ke dari buat untuk kah ya min kak bang sih dong nih bukan "
    "tipu penipu bodong asli valid".split()
)
ORG_MAX_WORDS = 7


class EntityExtractor:
    """Finds entities in raw text and returns them in Rasa's shape."""

    def __init__(self, data: TrainingData) -> None:
        names: dict[str, str] = {}
        for value in data.lookups.get("country", []):
            names.setdefault(value.lower(), value)
        for surface, canonical in data.synonyms.items():
            names[surface.lower()] = canonical
        for ex in data.examples:
            for entity, surface, value in ex.entities:
                if entity == "country":
                    names.setdefault(surface.lower(), value)
        self._countries = names
        alternatives = sorted(names, key=len, reverse=True)
        self._country_re = re.compile(
            r"(?<![\w])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w])",
            re.IGNORECASE,
        ) if alternatives else None

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Every entity found, ordered by position."""
        found = self._countries_in(text) + _phones(text) + _organizations(text)
        found += _amounts(text, {(e["start"], e["end"]) for e in found if e["entity"] == "phone"})
        return sorted(found, key=lambda e: e["start"])

    def _countries_in(self, text: str) -> list[dict[str, Any]]:
        if not self._country_re:
            return []
        found = []
        for match in self._country_re.finditer(text):
            # case-insensitive matching can accept spellings whose lower() is not a key
            # ("MALAYSİA"); those are skipped rather than trusted
            value = self._countries.get(match.group(1).lower())
            if value:
                found.append(_entity("country", match.start(), match.end(), value))
        return found


def _entity(name: str, start: int, end: int, value: Any, **extra: Any) -> dict[str, Any]:
    return {"entity": name, "start": start, "end": end, "value": value,
            "extractor": "DesabotEntityExtractor", **extra}


def _phones(text: str) -> list[dict[str, Any]]:
    return [_entity("phone", m.start(), m.end(), re.sub(r"[\s.-]", "", m.group(0)))
            for m in PHONE_RE.finditer(text)]


def _organizations(text: str) -> list[dict[str, Any]]:
    """"PT Contoh Jaya (FIKTIF) resmi gak" → "PT Contoh Jaya (FIKTIF)": words up to a stop word."""
    found = []
    for match in ORG_RE.finditer(text):
        end = match.end() - 1
        words = 0
        for word in re.finditer(r"[^\s,?!;:]+", text[end:]):
            bare = word.group(0).strip("().").lower()
            if bare in ORG_STOP or words >= ORG_MAX_WORDS:
                break
            end_of_word = end + word.end()
            words += 1
        if words:
            value = text[match.start():end_of_word].rstrip(".,")
            found.append(_entity("organization", match.start(), match.start() + len(value),
                                 value))
    return found


def _amounts(text: str, phones: set[tuple[int, int]]) -> list[dict[str, Any]]:
    found = []
    for money in find_amounts(text):
        if any(s <= money.start < e for s, e in phones):
            continue
        found.append(_entity("amount", money.start, money.end, money.value,
                             currency=money.currency, text=money.text))
    return found
