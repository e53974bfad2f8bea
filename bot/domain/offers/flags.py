"""Red flags and levels: how a flag finds itself in an offer, and how flags add up to a level.

A flag is a list of alternatives (patterns, countries, facts, a named check), any one of which
is enough; levels are conditions on how many flags of a severity or kind fired. These are
the objects the rules file is loaded into (`rules.load_rules`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.offers import ceilings
from bot.domain.offers.checks import CHECKS, OfferFacts, pay_place
from bot.domain.offers.negation import positives
from bot.domain.offers.places import CountryMatcher

SEVERITIES = {"low": 1, "medium": 2, "high": 3}
LEVEL_NAMES = ("high", "medium", "low")
# What a medium sign points to (see the `levels` comment in red_flags.yml): a lure of the
# scam compounds, control over a worker who then cannot leave, or (no kind) an irregular,
# costly or unverifiable recruitment. Only lure and control signs add up to "high".
KINDS = ("lure", "control")


@dataclass(frozen=True)
class Flag:
    """One red flag found in an offer, with its plain explanation and its source."""

    name: str
    severity: str
    explain: str
    source: dict[str, str]
    label: str = ""
    basis: ceilings.Basis | None = None  # the wage fact a pay flag compared against
    kind: str = ""  # "lure", "control" or "" (see KINDS)


@dataclass(frozen=True)
class Alternative:
    """One way a flag can fire: every condition given here must hold."""

    any_of: tuple[re.Pattern[str], ...] = ()
    all_of: tuple[tuple[re.Pattern[str], ...], ...] = ()
    countries: frozenset[str] = frozenset()
    facts: tuple[tuple[str, Any], ...] = ()
    check: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def holds(self, facts: OfferFacts, text: str) -> list[str] | None:
        """The countries that matched (possibly none) when the alternative holds, else None.

        The cheap conditions (countries, facts) are tried before the patterns.
        """
        matched = [c for c in facts.countries if c in self.countries]
        if self.countries and not matched:
            return None
        if not all(_fact_holds(getattr(facts, name), want) for name, want in self.facts):
            return None
        if self.any_of and not _found(self.any_of, text):
            return None
        if not all(_found(group, text) for group in self.all_of):
            return None
        if self.check and not CHECKS[self.check](facts, text, self.params):
            return None
        return matched


@dataclass(frozen=True)
class FlagRule:
    """A red flag as written in the rules file."""

    name: str
    severity: str
    label: str
    explain: str
    alternatives: tuple[Alternative, ...]
    unless: tuple[re.Pattern[str], ...]
    source: dict[str, str]
    kind: str = ""
    instead_of: str = ""  # a flag that, when it fires, says the same thing more strongly
    job_only: bool = False  # a sign of a job offer only: not read in a trip that offers no work

    def find(self, facts: OfferFacts, text: str) -> Flag | None:
        """The flag when the offer shows it (and no `unless` applies), else None."""
        if (self.job_only and facts.trip_only) or _found(self.unless, text):
            return None
        for alternative in self.alternatives:
            matched = alternative.holds(facts, text)
            if matched is not None:
                explain = self.explain.replace("{country}", ", ".join(matched))
                basis = None
                if alternative.check == "pay_above_typical":
                    basis = alternative.params["ceilings"].basis_for(pay_place(facts, text))
                return Flag(self.name, self.severity, explain, dict(self.source), self.label,
                            basis, self.kind)
        return None


@dataclass(frozen=True)
class Condition:
    """One way to reach a level: enough flags of a severity (or worse), or of some kinds.

    Kinds exist because medium signs of irregular recruitment do not add up to trafficking,
    while two signs of a scam compound's lure or of control over the worker do.
    """

    at_least: int
    severity: str | None = None
    kinds: frozenset[str] = frozenset()

    def holds(self, flags: list[Flag]) -> bool:
        """Whether enough of the offer's flags count for this condition."""
        if self.kinds:
            counted = sum(f.kind in self.kinds for f in flags)
        else:
            counted = sum(SEVERITIES[f.severity] >= SEVERITIES[self.severity or "low"]
                          for f in flags)
        return counted >= self.at_least


@dataclass(frozen=True)
class Rules:
    """The whole rules file: flags, how they combine into a level, summaries and advice."""

    path: Path
    flags: tuple[FlagRule, ...]
    levels: tuple[tuple[str, tuple[Condition, ...]], ...]
    summary: Mapping[str, str]
    advice: Mapping[str, tuple[str, ...]]
    countries: CountryMatcher

    def find_flags(self, facts: OfferFacts, text: str) -> list[Flag]:
        """Every flag the offer shows, the most severe first (file order among equals)."""
        found = {rule.name: (rule, flag) for rule in self.flags
                 if (flag := rule.find(facts, text))}
        kept = [flag for rule, flag in found.values() if rule.instead_of not in found]
        return sorted(kept, key=lambda f: -SEVERITIES[f.severity])

    def level(self, flags: list[Flag]) -> str:
        """The first level whose conditions the flags meet (the last level always does)."""
        for name, conditions in self.levels:
            if not conditions or any(c.holds(flags) for c in conditions):
                return name
        return LEVEL_NAMES[-1]


def _found(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    return any(next(positives(p, text), None) for p in patterns)


def _fact_holds(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return bool(set(value) & set(wanted)) if isinstance(value, list) else value in wanted
    if wanted is True:
        return bool(value)
    return value is wanted  # False = explicitly no, None = the text does not say

