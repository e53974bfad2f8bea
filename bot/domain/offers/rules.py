"""The red-flag rules: read from content/id/offers/red_flags.yml, checked, and applied.

The rules live in YAML so officers and content editors can add a flag, a spelling or a
source without touching code; the file's header documents the small rule language. Because
a wrong rule silently misjudges offers, loading validates everything and a broken rule
raises ValueError naming the file, the line and the flag.
"""

from __future__ import annotations

import re
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.paths import content_dir
from bot.domain.content.facts import FactRegistry
from bot.domain.content.sources import parse_source
from bot.domain.content.yamlfile import ContentError, load, where
from bot.domain.offers import ceilings
from bot.domain.offers.checks import CHECK_PARAMS, CHECKS, OfferFacts
from bot.domain.offers.flags import (
    KINDS,
    LEVEL_NAMES,
    SEVERITIES,
    Alternative,
    Condition,
    Flag,
    FlagRule,
    Rules,
)
from bot.domain.offers.places import CountryMatcher

# The loaded objects, re-exported: callers import the rules and what they are made of from here.
__all__ = ["LEVEL_NAMES", "SEVERITIES", "Flag", "OfferFacts", "Rules", "default_path",
           "facts_dir_for", "load_rules"]

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FACT_FIELDS = frozenset(f.name for f in fields(OfferFacts))
ALT_KEYS = {"any", "all", "countries", "facts", "check", "params"}
TOP_KEYS = {"version", "countries", "levels", "summary", "advice", "flags"}
FLAG_KEYS = {"name", "severity", "label", "explain", "patterns", "unless", "source", "kind",
             "instead_of", "job_only"}
CONDITION_KEYS = {"severity", "kinds", "at_least"}


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
    job_only = raw.get("job_only", False)
    _require(isinstance(job_only, bool), path, raw, f"{at}: job_only must be true or false")
    source = asdict(parse_source(raw.get("source"), path, at))
    return FlagRule(name, raw["severity"], raw["label"].strip(), raw["explain"].strip(),
                    alternatives, _regexes(path, raw, at, "unless", raw.get("unless", [])), source,
                    kind, instead_of, job_only)


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
