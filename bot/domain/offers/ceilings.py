"""Pay ceilings per destination, made from sourced wage facts.

A pay ceiling answers "is this pay far above what such work pays there?". Writing ceilings as
bare rupiah numbers hid their basis (the audit of 2026-12-01 found Taiwan's at ordinary
factory pay), so each ceiling is now a multiple of a wage fact in the fact registry
(`content/id/facts/*.yml`), in that wage's own currency, converted with the approximate rates
of `content/id/offers/rates.yml`. A wage changes in one place and the ceiling follows.
Destinations without a sourced wage figure are listed as not judged rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.paths import content_dir
from bot.domain.content.yamlfile import ContentError, load
from nlu.amounts import load_rates

CEILING_KEYS = {"fact", "currency", "times"}


@dataclass(frozen=True)
class Ceilings:
    """Monthly rupiah ceilings: one per destination, a default, and places not judged."""

    default: float
    by_destination: Mapping[str, float]
    not_judged: frozenset[str]

    def for_destination(self, destination: str | None) -> float | None:
        """The ceiling that applies, or None when pay there is not judged."""
        if destination in self.not_judged:
            return None
        return self.by_destination.get(destination or "", self.default)


def fact_values(facts_dir: Path | None = None) -> dict[str, tuple[float, bool]]:
    """Every numeric fact of the registry: id -> (value, replaced).

    Raises:
        ContentError: a facts file cannot be read.
    """
    folder = facts_dir or content_dir() / "id" / "facts"
    values: dict[str, tuple[float, bool]] = {}
    for path in sorted(folder.glob("*.yml")):
        data = load(path) or {}
        for fact in data.get("facts") or [] if isinstance(data, dict) else []:
            if isinstance(fact, dict) and isinstance(fact.get("value"), int | float):
                values[str(fact.get("id"))] = (float(fact["value"]),
                                               bool(fact.get("replaced_by")))
    return values


def build(params: Mapping[str, Any], countries: set[str]) -> Ceilings:
    """Resolve the `pay_too_high_for_job` parameters into rupiah ceilings.

    Raises:
        ValueError: an unknown or replaced fact, a currency without a rate, an unknown country
            or a malformed entry; the message names the entry.
    """
    try:
        facts = fact_values()
    except ContentError as exc:
        raise ValueError(str(exc)) from None
    rates = load_rates()
    by_destination = params.get("by_destination") or {}
    not_judged = params.get("not_judged") or []
    unknown = sorted((set(by_destination) | set(not_judged)) - countries)
    if unknown:
        raise ValueError(f"pay ceilings: unknown country {unknown}")
    return Ceilings(
        _ceiling("default", params.get("default"), facts, rates),
        {name: _ceiling(name, raw, facts, rates) for name, raw in by_destination.items()},
        frozenset(not_judged))


def _ceiling(name: str, raw: Any, facts: Mapping[str, tuple[float, bool]],
             rates: Mapping[str, float]) -> float:
    if not isinstance(raw, dict) or set(raw) != CEILING_KEYS:
        raise ValueError(f"pay ceiling {name!r} needs exactly {sorted(CEILING_KEYS)}")
    fact, currency, times = raw["fact"], str(raw["currency"]).upper(), raw["times"]
    if fact not in facts:
        raise ValueError(f"pay ceiling {name!r}: no numeric fact {fact!r} in content/id/facts")
    if facts[fact][1]:
        raise ValueError(f"pay ceiling {name!r}: fact {fact!r} has been replaced")
    if currency not in rates:
        raise ValueError(f"pay ceiling {name!r}: currency {currency} has no rate in rates.yml")
    if not isinstance(times, int | float) or times <= 0:
        raise ValueError(f"pay ceiling {name!r}: times must be a positive number")
    return facts[fact][0] * times * rates[currency]
