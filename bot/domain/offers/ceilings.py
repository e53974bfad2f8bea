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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.paths import content_dir
from bot.domain.content.facts import Fact, FactRegistry
from bot.domain.content.yamlfile import ContentError
from nlu.amounts import Money, find_amounts, load_rates

CEILING_KEYS = {"fact", "times"}


@dataclass(frozen=True)
class Basis:
    """What a ceiling was made from: the wage fact, and that wage in rupiah (approximate)."""

    fact: Fact
    rupiah: float


@dataclass(frozen=True)
class Ceilings:
    """Monthly rupiah ceilings: one per destination, a default, and places not judged."""

    default: float
    by_destination: Mapping[str, float]
    not_judged: frozenset[str]
    bases: Mapping[str, Basis] = field(default_factory=dict)  # "" is the default's

    def for_destination(self, destination: str | None) -> float | None:
        """The ceiling that applies, or None when pay there is not judged."""
        if destination in self.not_judged:
            return None
        return self.by_destination.get(destination or "", self.default)

    def basis_for(self, destination: str | None) -> Basis | None:
        """The wage fact behind the ceiling that applies: a verdict names its source."""
        if destination in self.not_judged:
            return None
        key = destination if destination in self.by_destination else ""
        return self.bases.get(key or "")


# The one country a currency points to, for an offer that names none ("gaji pokok NT$28.590"):
# its pay is compared with that country's wages, not with the default for unnamed places.
CURRENCY_HOME = {"TWD": "Taiwan", "HKD": "Hong Kong", "MYR": "Malaysia", "KRW": "Korea Selatan",
                 "SAR": "Arab Saudi", "SGD": "Singapura", "JPY": "Jepang", "BND": "Brunei",
                 "AED": "Uni Emirat Arab", "QAR": "Qatar", "KWD": "Kuwait", "PLN": "Polandia",
                 "AUD": "Australia", "TRY": "Turki", "THB": "Thailand", "PHP": "Filipina"}


# Currencies paid in several destinations, none with a sourced wage figure: the euro (Germany,
# Spanish or Dutch fishing vessels, ...). Pay in them on an offer that names no country is not
# judged, as those destinations are not, rather than held to the default ceiling, which was made
# for the rupiah and dollar bait of the scam compounds.
UNJUDGED_CURRENCIES = frozenset({"EUR"})


def unjudged_currency(amounts: list[Money]) -> bool:
    """Whether every foreign amount of the offer is in a currency whose pay is not judged."""
    foreign = {m.currency for m in amounts if m.currency != "IDR"}
    return bool(foreign) and foreign <= UNJUDGED_CURRENCIES


def home_of(amounts: list[Money]) -> str | None:
    """The country of the offer's foreign currency, when it uses exactly one that has one."""
    homes = {CURRENCY_HOME.get(m.currency) for m in amounts if m.currency != "IDR"}
    return homes.pop() if len(homes) == 1 and None not in homes else None


def wage(registry: FactRegistry, fact_id: str) -> Money:
    """The amount a wage fact states ("NT$34.900"), read the way offers are read.

    Raises:
        ContentError: the fact is unknown or replaced.
        ValueError: its value is not one amount with a currency.
    """
    fact = registry.use(fact_id, "pay ceilings")
    amounts = find_amounts(fact.value)
    if len(amounts) != 1:
        raise ValueError(f"fact {fact_id!r}: value {fact.value!r} is not one amount")
    return amounts[0]


def build(params: Mapping[str, Any], countries: set[str],
          facts_dir: Path | None = None) -> Ceilings:
    """Resolve the `pay_too_high_for_job` parameters into rupiah ceilings.

    Raises:
        ValueError: an unknown or replaced fact, a currency without a rate, an unknown country
            or a malformed entry; the message names the entry.
    """
    try:
        registry = FactRegistry.load(facts_dir or content_dir() / "id" / "facts")
    except ContentError as exc:
        raise ValueError(str(exc)) from None
    rates = load_rates()
    by_destination = params.get("by_destination") or {}
    not_judged = params.get("not_judged") or []
    unknown = sorted((set(by_destination) | set(not_judged)) - countries)
    if unknown:
        raise ValueError(f"pay ceilings: unknown country {unknown}")
    made = {"": _ceiling("default", params.get("default"), registry, rates)}
    made |= {name: _ceiling(name, raw, registry, rates) for name, raw in by_destination.items()}
    return Ceilings(made[""][0], {name: c for name, (c, _) in made.items() if name},
                    frozenset(not_judged), {name: basis for name, (_, basis) in made.items()})


def cap(raw: Any, facts_dir: Path | None = None) -> tuple[float, Basis]:
    """One `{fact: ID, times: N}` amount in rupiah (a fee cap), with the fact it rests on.

    Raises:
        ValueError: as `build`.
    """
    try:
        registry = FactRegistry.load(facts_dir or content_dir() / "id" / "facts")
    except ContentError as exc:
        raise ValueError(str(exc)) from None
    return _ceiling("fee cap", raw, registry, load_rates())


def _ceiling(name: str, raw: Any, registry: FactRegistry,
             rates: Mapping[str, float]) -> tuple[float, Basis]:
    if not isinstance(raw, dict) or set(raw) != CEILING_KEYS:
        raise ValueError(f"pay ceiling {name!r} needs exactly {sorted(CEILING_KEYS)}")
    try:
        money = wage(registry, str(raw["fact"]))
    except ContentError as exc:
        raise ValueError(f"pay ceiling {name!r}: {exc}") from None
    if money.currency not in rates:
        raise ValueError(f"pay ceiling {name!r}: currency {money.currency} has no rate in "
                         "rates.yml")
    times = raw["times"]
    if not isinstance(times, int | float) or times <= 0:
        raise ValueError(f"pay ceiling {name!r}: times must be a positive number")
    rupiah = money.value * rates[money.currency]
    return rupiah * times, Basis(registry[str(raw["fact"])], rupiah)
