"""The offer checker on labelled offers: accuracy, the confusion matrix and the misses.

Usage:
    .venv/bin/python benchmarks/offers_eval.py [--runs 3] [FILE.yml ...]

Default sets: tests/fixtures/offers.yml (the checker's original fixtures),
tests/fixtures/offers_heldout.yml (written for issue 15 before the rules were changed) and
tests/fixtures/offers_sealed.yml (written after, measured once; see its header) and
tests/fixtures/offers_dev2.yml (the set the level aggregation was developed on). For
each set it prints the exact-level accuracy, the confusion matrix (expected rows, assessed
columns), the floors of issue 15 (no high offer judged low; every low offer that names a
licensed agency or the official route judged low), every offer judged at the wrong level
with the flags that fired, and the time per offer (median of --runs passes). Two baselines
run on the same sets in the same run: "always high" (what a checker that cries wolf scores)
and "country only" (high when a non-placement country is named, else low). This is a
measurement, not a test: it asserts nothing.

With --routing it also trains the embedded NLU (in a temporary cache) and counts, per level,
how many offers pasted into the chat reach the checker: by the NLU's offer_check alone, and
with the advert detector the chat handler uses (bot/domain/offers/detect.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bot.domain.offers.assessment import assess, load_rules, normalize_offer  # noqa: E402
from bot.domain.offers.detect import send_to_checker  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SETS = [FIXTURES / "offers.yml", FIXTURES / "offers_heldout.yml", FIXTURES / "offers_sealed.yml",
        FIXTURES / "offers_dev2.yml", FIXTURES / "offers_sealed2.yml",
        FIXTURES / "offers_sealed3.yml", FIXTURES / "offers_sealed4.yml",
        # written by the seventh session before they were run; check7 after its last change
        FIXTURES / "offers_dev3.yml", FIXTURES / "offers_dev4.yml", FIXTURES / "offers_dev5.yml",
        FIXTURES / "offers_dev6.yml", FIXTURES / "offers_check7.yml",
        # written by the eighth session's "offers" helper before its changes (see their headers)
        FIXTURES / "offers_dev8.yml", FIXTURES / "offers_check8.yml",
        FIXTURES / "offers_check9.yml", FIXTURES / "offers_check10.yml",
        # the ninth session's untouched set, measured at its start and end, then read
        FIXTURES / "offers_sealed6.yml",
        # written from the fact sheet alone by a helper before the round-2 offer changes
        FIXTURES / "offers_dev11.yml", FIXTURES / "offers_dev12.yml",
        # this session's untouched set, measured at its start and end, then a development set
        FIXTURES / "offers_sealed7.yml"]
LEVELS = ("high", "medium", "low")
NOT_PLACEMENT = {"Kamboja", "Myanmar", "Laos", "Vietnam", "Thailand"}


def load_offers(path: Path) -> list[dict[str, str]]:
    """The offers of one fixture file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["offers"]


def country_only(text: str) -> str:
    """Baseline: high when a non-placement country is named, else low."""
    rules = load_rules()
    names = {name for name, _, _ in rules.countries.mentions(normalize_offer(text))}
    return "high" if names & NOT_PLACEMENT else "low"


def matrix(offers: list[dict[str, str]], judge: Callable[[str], str]) -> Counter[tuple[str, str]]:
    """(expected, assessed) counts."""
    return Counter((offer["expected"], judge(offer["text"])) for offer in offers)


def accuracy(counts: Counter[tuple[str, str]]) -> float:
    """Share of offers judged at exactly their level."""
    total = sum(counts.values())
    return sum(n for (e, a), n in counts.items() if e == a) / total if total else float("nan")


def format_matrix(counts: Counter[tuple[str, str]]) -> str:
    """Rows: expected level; columns: assessed level."""
    rows = ["  expected \\ assessed " + "".join(f"{lv:>8}" for lv in LEVELS)]
    rows += [f"  {e:>19} " + "".join(f"{counts[(e, a)]:>8}" for a in LEVELS) for e in LEVELS]
    return "\n".join(rows)


def licensed_lows(offers: list[dict[str, str]]) -> list[dict[str, str]]:
    """Low offers that name a licensed agency or the official route."""
    return [o for o in offers if o["expected"] == "low" and assess(o["text"]).facts.official_route]


def per_offer_ms(offers: list[dict[str, str]], judge: Callable[[str], object], runs: int) -> float:
    """Median over runs of the mean time to judge one offer, in milliseconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for offer in offers:
            judge(offer["text"])
        timings.append((time.perf_counter() - start) * 1000 / len(offers))
    return statistics.median(timings)


def routing(offers: list[dict[str, str]], parse: Callable[[str], dict]) -> str:
    """Per level: pasted offers reaching the checker by the NLU alone / with the detector."""
    parts = []
    for level in LEVELS:
        texts = [o["text"] for o in offers if o["expected"] == level]
        intents = [parse(t)["intent"]["name"] for t in texts]
        alone = sum(i == "offer_check" for i in intents)
        both = sum(i == "offer_check" or send_to_checker(i, t) for i, t in zip(intents, texts,
                                                                                strict=True))
        parts.append(f"{level} {alone}/{len(texts)} -> {both}/{len(texts)}")
    return "pasted offers reaching the checker (NLU alone -> with the detector): " + \
        ", ".join(parts)


def report(path: Path, runs: int, parse: Callable[[str], dict] | None = None) -> None:
    """Print every figure for one set."""
    offers = load_offers(path)
    counts = matrix(offers, lambda text: assess(text).risk)
    lows = licensed_lows(offers)
    print(f"== {path.relative_to(ROOT)}: {len(offers)} offers "
          f"({', '.join(f'{n} {lv}' for lv, n in Counter(o['expected'] for o in offers).items())})")
    print(f"exact-level accuracy: {accuracy(counts):.3f}")
    print(format_matrix(counts))
    print(f"high judged low: {counts[('high', 'low')]}   medium judged low: "
          f"{counts[('medium', 'low')]}   licensed/official low offers judged low: "
          f"{sum(assess(o['text']).risk == 'low' for o in lows)} of {len(lows)}")
    for name, judge in (("always high", lambda _: "high"), ("country only", country_only)):
        print(f"baseline {name}: accuracy {accuracy(matrix(offers, judge)):.3f}")
    for offer in offers:
        result = assess(offer["text"])
        if result.risk != offer["expected"]:
            print(f"  MISS expected {offer['expected']}, got {result.risk} "
                  f"{[f.name for f in result.flags]}: {offer['note']}")
    if parse is not None:
        print(routing(offers, parse))
    print(f"time per offer: {per_offer_ms(offers, assess, runs):.2f} ms (median of {runs}); "
          f"baseline str.lower: {per_offer_ms(offers, str.lower, runs) * 1000:.2f} us\n")


def main(argv: list[str] | None = None) -> int:
    """Evaluate every set given (or the two default sets)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=SETS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--routing", action="store_true")
    args = parser.parse_args(argv)
    assess("warm-up: load the rules once")
    parse = None
    with tempfile.TemporaryDirectory() as cache:
        if args.routing:
            from nlu.embedded import load_or_train
            from nlu.training import load_dir

            parse = load_or_train(load_dir(ROOT / "nlu" / "data"), Path(cache)).parse
        for path in args.files:
            report(path.resolve(), max(1, args.runs), parse)
    return 0


if __name__ == "__main__":
    sys.exit(main())
