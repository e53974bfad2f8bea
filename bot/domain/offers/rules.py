"""The red-flag rules: read from content/id/offers/red_flags.yml, checked, and applied.

The rules live in YAML so officers and content editors can add a flag, a spelling or a
source without touching code; the file's header documents the small rule language. Because
a wrong rule silently misjudges offers, loading validates everything and a broken rule
raises ValueError naming the file, the line and the flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.paths import content_dir
from bot.domain.content.facts import FactRegistry
from bot.domain.content.sources import parse_source
from bot.domain.content.yamlfile import ContentError, load, where
from bot.domain.offers import ceilings
from bot.domain.offers.extract import CountryMatcher, positives
from nlu.amounts import Money, find_amounts, to_idr

SEVERITIES = {"low": 1, "medium": 2, "high": 3}
LEVEL_NAMES = ("high", "medium", "low")
# What a medium sign points to (see the `levels` comment in red_flags.yml): a lure of the
# scam compounds, control over a worker who then cannot leave, or (no kind) an irregular,
# costly or unverifiable recruitment. Only lure and control signs add up to "high".
KINDS = ("lure", "control")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class OfferFacts:
    """What we extracted from an offer; None means "the text does not say"."""

    destination: str | None
    job: str | None
    pay_idr_month: float | None
    visa_type: str | None
    fees: list[str]
    fee_receiver: str | None
    channel: str | None
    transit: list[str]
    passport_handover: bool
    contract: bool | None
    urgent: bool
    company: str | None
    licensed: bool | None
    countries: list[str] = field(default_factory=list)  # named as places to work, not transit
    official_route: bool = False  # names SISKOP2MI, BP3MI, LTSA, Disnaker, G to G, ...


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


Check = Callable[[OfferFacts, str, Mapping[str, Any]], bool]
_ABROAD = re.compile(r"(?<!\w)(?:luar (?:negeri|negri|negara)|luarnegeri|ln|overseas|abroad|paspor|"
                     r"visa|tiket pesawat|pesawat|"
                     r"negara|berangkat)(?!\w)")


def pay_place(facts: OfferFacts, text: str) -> str | None:
    """Where the pay is earned: the destination, else the country of the currency."""
    return facts.destination or ceilings.home_of(find_amounts(text))


def _pay_above_typical(facts: OfferFacts, text: str, params: Mapping[str, Any]) -> bool:
    ceiling = params["ceilings"].for_destination(pay_place(facts, text))
    return None not in (ceiling, facts.pay_idr_month) and facts.pay_idr_month > ceiling


def _fee_above(facts: OfferFacts, _: str, params: Mapping[str, Any]) -> bool:
    """Whether a fee the offer asks for is larger than the cap (rupiah, approximate)."""
    return any(_idr(money) > params["cap"] for fee in facts.fees for money in find_amounts(fee))


def _idr(money: Money) -> float:
    try:
        return to_idr(money)
    except KeyError:  # a currency without a rate cannot be compared
        return 0.0


# Household work in Taiwan left Perban 9/2020's zero cost on 7 July 2022 (fact
# negara.tw.zero_cost_dikecualikan; Kepka 785 caps its costs instead). Fishing crews on
# Taiwanese vessels are no household work and stay zero-cost.
_FISHING_CREW = re.compile(r"(?<!\w)(?:abk|awak kapal|anak buah kapal|kapal (?:ikan|penangkap "
                           r"ikan)|nelayan|perikanan)(?!\w)")


def _perban_9_applies(facts: OfferFacts, text: str, _: Mapping[str, Any]) -> bool:
    return facts.destination != "Taiwan" or bool(_FISHING_CREW.search(text))


CHECKS: dict[str, Check] = {
    "abroad": lambda f, text, _: bool(f.destination or f.countries or f.transit
                                      or _ABROAD.search(text)),
    "pay_above_typical": _pay_above_typical,
    # A fee above the largest lawful cost the fact sheet quotes is no "official cost
    # structure", even from a licensed agency ("beli job", fact sheet 1k).
    "fee_above": _fee_above,
    "perban_9_applies": _perban_9_applies,
    # A documented route (official channel and a work visa) may name a flight's stopover.
    "transit_elsewhere": lambda f, _, __: any(t != f.destination for t in f.transit)
    and not (f.official_route and f.visa_type == "kerja"),
    "no_company_or_official": lambda f, _, __: f.company is None and not f.official_route,
    "no_company_or_official_abroad": lambda f, text, p: CHECKS["no_company_or_official"](
        f, text, p) and CHECKS["abroad"](f, text, p),
    "no_official_route": lambda f, _, __: not f.official_route,
    "abroad_off_route": lambda f, text, p: not f.official_route and CHECKS["abroad"](f, text, p),
}
CHECK_PARAMS = {"pay_above_typical": ("default",), "fee_above": ("fact", "times")}
FACT_FIELDS = frozenset(f.name for f in fields(OfferFacts))
ALT_KEYS = {"any", "all", "countries", "facts", "check", "params"}
TOP_KEYS = {"version", "countries", "levels", "summary", "advice", "flags"}
FLAG_KEYS = {"name", "severity", "label", "explain", "patterns", "unless", "source", "kind",
             "instead_of"}
CONDITION_KEYS = {"severity", "kinds", "at_least"}


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

    def find(self, facts: OfferFacts, text: str) -> Flag | None:
        """The flag when the offer shows it (and no `unless` applies), else None."""
        if _found(self.unless, text):
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


def default_path() -> Path:
    """The rules file inside the content tree."""
    return content_dir() / "id" / "offers" / "red_flags.yml"


def load_rules(path: Path | None = None) -> Rules:
    """Load and validate the rules (cached per path).

    Raises:
        ValueError: the file is missing, is not valid YAML, or a rule is broken; the message
            names the file, the line and the flag.
    """
    return _load(Path(path or default_path()).resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> Rules:
    try:
        data = load(path)
        _require(isinstance(data, dict), path, data, "the file must be a mapping")
        _keys(data, TOP_KEYS, path, "the file")
        countries = _countries(path, data.get("countries"))
        flags = data.get("flags")
        _require(isinstance(flags, list) and flags, path, data, "'flags' must be a list")
        facts_dir = facts_dir_for(path)
        _render_facts(data, FactRegistry.load(facts_dir), path)
        rules = tuple(_flag(path, raw, set(countries), facts_dir) for raw in flags)
        names = [r.name for r in rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        _require(not dupes, path, data, f"duplicate flag name(s) {dupes}")
        unknown = sorted({r.instead_of for r in rules if r.instead_of} - set(names))
        _require(not unknown, path, data, f"instead_of names unknown flag(s) {unknown}")
        return Rules(path, rules, _levels(path, data.get("levels")),
                     _texts(path, data.get("summary"), "summary", str),
                     _texts(path, data.get("advice"), "advice", list), CountryMatcher(countries))
    except ContentError as exc:  # YAML syntax or a broken source: same contract as the rest
        raise ValueError(str(exc)) from None


def facts_dir_for(path: Path) -> Path:
    """The fact registry next to a rules file's content tree, else the project's."""
    sibling = path.parent.parent / "facts"
    return sibling if sibling.is_dir() else content_dir() / "id" / "facts"


def _render_facts(data: dict[str, Any], registry: FactRegistry, path: Path) -> None:
    """Put the facts' values in place of `{fakta:ID}` in every text a villager reads."""
    def render(text: Any, at: str) -> Any:
        return registry.render(text, f"{path}: {at}").text if isinstance(text, str) else text

    for flag in data["flags"]:
        if isinstance(flag, dict):
            for key in ("label", "explain"):
                flag[key] = render(flag.get(key), f"flag {flag.get('name')!r}: {key}")
    for key in ("summary", "advice"):
        for level, value in (data.get(key) or {}).items():
            data[key][level] = ([render(v, f"{key} {level}") for v in value]
                                if isinstance(value, list) else render(value, f"{key} {level}"))


def _require(ok: object, path: Path, node: Any, message: str) -> None:
    if not ok:
        raise ValueError(f"{where(path, node)}: {message}")


def _keys(node: dict[str, Any], allowed: set[str], path: Path, at: str) -> None:
    unknown = sorted(set(node) - allowed)
    _require(not unknown, path, node, f"{at}: unknown key(s) {unknown}")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _countries(path: Path, raw: Any) -> dict[str, tuple[str, list[str]]]:
    _require(isinstance(raw, dict) and raw, path, raw, "'countries' must be a mapping")
    for name, entry in raw.items():
        ok = isinstance(entry, dict) and re.fullmatch(r"[A-Z]{2}", str(entry.get("iso", ""))) \
            and _strings(entry.get("aliases"))
        _require(ok, path, entry, f"country {name!r} needs iso (2 letters) and aliases")
    return {str(name): (entry["iso"], entry["aliases"]) for name, entry in raw.items()}


def _flag(path: Path, raw: Any, countries: set[str], facts_dir: Path) -> FlagRule:
    _require(isinstance(raw, dict), path, raw, "each flag must be a mapping")
    name = raw.get("name")
    _require(isinstance(name, str) and NAME_RE.match(name), path, raw,
             f"flag name {name!r} must be snake_case")
    at = f"flag {name!r}"
    _keys(raw, FLAG_KEYS, path, at)
    _require(raw.get("severity") in SEVERITIES, path, raw,
             f"{at}: severity must be one of {', '.join(SEVERITIES)}")
    for key in ("label", "explain"):
        _require(isinstance(raw.get(key), str) and raw[key].strip(), path, raw,
                 f"{at}: {key} is required")
    patterns = raw.get("patterns")
    _require(isinstance(patterns, list) and patterns, path, raw, f"{at}: patterns must be a list")
    alternatives = tuple(_alternative(path, alt, at, countries, facts_dir) for alt in patterns)
    _require("{country}" not in raw["explain"] or all(a.countries for a in alternatives), path,
             raw, f"{at}: {{country}} in explain needs `countries` in every pattern")
    kind = raw.get("kind", "")
    _require(kind == "" or (kind in KINDS and raw["severity"] == "medium"), path, raw,
             f"{at}: kind must be one of {', '.join(KINDS)}, and only on a medium flag")
    instead_of = raw.get("instead_of", "")
    _require(isinstance(instead_of, str) and instead_of != name, path, raw,
             f"{at}: instead_of must name another flag")
    source = asdict(parse_source(raw.get("source"), path, at))
    return FlagRule(name, raw["severity"], raw["label"].strip(), raw["explain"].strip(),
                    alternatives, _regexes(path, raw, at, "unless", raw.get("unless", [])), source,
                    kind, instead_of)


def _alternative(path: Path, raw: Any, at: str, countries: set[str],
                 facts_dir: Path) -> Alternative:
    _require(isinstance(raw, dict) and set(raw) - {"params"}, path, raw,
             f"{at}: each pattern must be a mapping with any/all/countries/facts/check")
    _keys(raw, ALT_KEYS, path, at)
    groups, wanted = raw.get("all", []), raw.get("countries", [])
    _require(isinstance(groups, list), path, raw, f"{at}: all must be a list of lists")
    _require(isinstance(wanted, list) and set(wanted) <= countries, path, raw,
             f"{at}: unknown country in {wanted!r}")
    facts = raw.get("facts", {})
    _require(isinstance(facts, dict) and set(facts) <= FACT_FIELDS and all(
        v is None or isinstance(v, bool | list) for v in facts.values()), path, raw,
        f"{at}: facts must map OfferFacts fields to a list, true, false or null")
    check, params = raw.get("check"), raw.get("params", {})
    _require(check is None or check in CHECKS, path, raw, f"{at}: unknown check {check!r}")
    missing = [k for k in CHECK_PARAMS.get(check or "", ()) if k not in params]
    _require(isinstance(params, dict) and (check or not params) and not missing, path, raw,
             f"{at}: params must be a mapping for a check (check {check!r} needs {missing})")
    try:
        if check == "pay_above_typical":
            params = {"ceilings": ceilings.build(params, countries, facts_dir)}
        elif check == "fee_above":
            params = {"cap": ceilings.cap(params, facts_dir)[0]}
    except ValueError as exc:
        raise ValueError(f"{where(path, raw)}: {at}: {exc}") from None
    return Alternative(_regexes(path, raw, at, "any", raw.get("any", [])),
                       tuple(_regexes(path, raw, at, "all", g) for g in groups),
                       frozenset(wanted), tuple(facts.items()), check, params)


def _regexes(path: Path, node: Any, at: str, key: str, raw: Any) -> tuple[re.Pattern[str], ...]:
    _require(_strings(raw) or raw == [], path, node, f"{at}: {key} must be a list of patterns")
    try:
        return tuple(re.compile(rf"(?<!\w)(?:{p})(?!\w)") for p in raw)
    except re.error as exc:
        raise ValueError(f"{where(path, node)}: {at}: bad pattern in {key}: {exc}") from None


def _levels(path: Path, raw: Any) -> tuple[tuple[str, tuple[Condition, ...]], ...]:
    names = [r.get("level") for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []
    _require(names == list(LEVEL_NAMES), path, raw, f"levels must be {LEVEL_NAMES} in order")
    levels = []
    for entry in raw:
        conditions = entry.get("when") or []
        _require(all(_condition_ok(c) for c in conditions), path, entry,
                 f"level {entry['level']!r}: each `when` needs at_least >= 1 and either a "
                 f"severity or kinds (a list of {', '.join(KINDS)})")
        levels.append((entry["level"], tuple(
            Condition(c["at_least"], c.get("severity"), frozenset(c.get("kinds") or ()))
            for c in conditions)))
    _require(not levels[-1][1] and all(c for _, c in levels[:-1]), path, raw,
             "only the last level may (and must) have no conditions")
    return tuple(levels)


def _condition_ok(raw: Any) -> bool:
    if not isinstance(raw, dict) or not set(raw) <= CONDITION_KEYS:
        return False
    count_ok = isinstance(raw.get("at_least"), int) and raw["at_least"] > 0
    kinds = raw.get("kinds")
    by_kind = isinstance(kinds, list) and bool(kinds) and set(kinds) <= set(KINDS)
    by_severity = raw.get("severity") in SEVERITIES
    return count_ok and by_kind != by_severity


def _texts(path: Path, raw: Any, key: str, kind: type) -> dict[str, Any]:
    _require(isinstance(raw, dict) and set(raw) == set(LEVEL_NAMES), path, raw,
             f"'{key}' needs exactly {', '.join(LEVEL_NAMES)}")
    for level, value in raw.items():
        ok = _strings(value) if kind is list else isinstance(value, str) and value.strip()
        _require(ok, path, raw, f"{key} for {level!r} must be a {kind.__name__} of text")
    return {level: tuple(value) if kind is list else value for level, value in raw.items()}
