"""Assigning one text to a campaign with many texts stored: latency and memory.

    .venv/bin/python benchmarks/campaign_assign.py                 # 100,000 stored, 200 timed
    .venv/bin/python benchmarks/campaign_assign.py --stored 20000 --runs 3 --db sqlite

The stored texts are synthetic but shaped like the traffic: the adverts of
tests/fixtures/campaigns.yml re-posted with other phone numbers, handles, amounts, emojis and
dropped words (so every template has hundreds of near-identical copies, the LSH's worst case).
The timed step is what the bot does per text (`Grouping.decide` + `Grouping.add`, plus the
signature), on texts not in the index. Figures (medians of --runs runs, each the median over
--texts texts):

- `assign@N`: signature + decide + add with N texts stored (the issue's floor: 5 ms at 100,000);
- `signature`: the signature alone (the part that does not grow with N): the baseline;
- `assign@1000`: the same step with 1,000 texts stored, measured in the same run, so the
  growth with N reads as a ratio on a noisy machine;
- memory: Python heap held by the index (tracemalloc) and the process's RSS growth;
- `--distinct`: the worst case for memory, no re-posts (every stored text is indexed).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.campaigns.grouping import Grouping, signature

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "campaigns.yml"
EMOJI = ["🔥", "‼️", "✅", "💰", "✈️", "🇰🇭", "😊", ""]


def base_texts() -> list[str]:
    """The fixture's adverts and retellings."""
    families = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return [t for f in families for texts in f["campaigns"].values() for t in texts]


def variant(rng: random.Random, text: str, distinct: bool = False,
            contact: str | None = None) -> str:
    """A re-post: other contact, amounts, emojis, dropped words; `distinct`: words reordered.

    With `distinct` every text differs enough from all others to be indexed on its own (the
    memory worst case: no re-posts at all).
    """
    words = text.split()
    for _ in range(rng.randint(0, 3)):
        if len(words) > 6:
            words.pop(rng.randrange(len(words)))
    words = [str(rng.randint(5, 40)) + "jt" if w.endswith(("jt", "JT")) else w for w in words]
    if distinct:
        cut = rng.randrange(1, max(2, len(words)))
        words = [*words[cut:], f"kode{rng.randint(1, 10**6)}", *words[:cut]]
    return f"{rng.choice(EMOJI)} {' '.join(words)} {contact or _contact(rng)}"


def build(stored: int, rng: random.Random, distinct: bool) -> Grouping:
    """An index with `stored` texts, assigned by the grouping itself as the bot assigns them.

    Traffic is shaped as campaigns: about stored/10 recruiters, each with one advert and one or
    two contacts, re-posted in varied forms (see `variant`).
    """
    bases, grouping, next_id = base_texts(), Grouping(), 1
    recruiters = [(rng.choice(bases), [_contact(rng) for _ in range(rng.randint(1, 2))])
                  for _ in range(max(1, stored // 10))]
    for _ in range(stored):
        advert, contacts = rng.choice(recruiters)
        sig = signature(variant(rng, advert, distinct, rng.choice(contacts)))
        decision = grouping.decide(sig)
        campaign = decision.campaign
        if campaign is None:
            campaign, next_id = next_id, next_id + 1
        grouping.add(sig, campaign, decision.joins)
    return grouping


def _contact(rng: random.Random) -> str:
    phone = f"08{rng.randint(11, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    handle = f"@{rng.choice(['hr', 'job', 'rekrut'])}_{rng.randint(1, 99999)}"
    return rng.choice([f"WA {phone}", handle, f"bit.ly/k{rng.randint(1, 10**6)}",
                       f"hub {phone}"])


def time_assign(grouping: Grouping, texts: list[str]) -> float:
    """Median milliseconds of signature + decide + add per text."""
    times, next_id = [], 10**9
    for text in texts:
        start = time.perf_counter()
        sig = signature(text)
        decision = grouping.decide(sig)
        grouping.add(sig, decision.campaign if decision.campaign is not None else next_id,
                     decision.joins)
        times.append((time.perf_counter() - start) * 1000)
        next_id += 1
    return statistics.median(times)


def time_signature(texts: list[str]) -> float:
    """Median milliseconds of the signature alone."""
    times = []
    for text in texts:
        start = time.perf_counter()
        signature(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def rss_kib() -> int:
    """The process's resident set size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--texts", type=int, default=200, help="timed texts per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--distinct", action="store_true",
                        help="no re-posts: every stored text is indexed (memory worst case)")
    parser.add_argument("--heap", action="store_true",
                        help="also trace the Python heap (tracemalloc; building is ~3x slower)")
    args = parser.parse_args()
    rng = random.Random(2026)
    bases = base_texts()
    small = build(1000, rng, args.distinct)
    gc.collect()
    rss_before = rss_kib()
    if args.heap:
        tracemalloc.start()
    started = time.perf_counter()
    grouping = build(args.stored, rng, args.distinct)
    build_s = time.perf_counter() - started
    gc.collect()
    heap = tracemalloc.get_traced_memory()[0] if args.heap else None
    tracemalloc.stop()
    rss_growth = rss_kib() - rss_before
    indexed = grouping.indexed
    big, base, tiny = [], [], []
    for _ in range(args.runs):
        texts = [variant(rng, rng.choice(bases), args.distinct) for _ in range(args.texts)]
        base.append(time_signature(texts))
        tiny.append(time_assign(small, texts))
        big.append(time_assign(grouping, texts))
    n = f"{args.stored:,}"
    print(f"stored texts: {n}, {indexed:,} of them indexed (the others are re-posts); "
          f"built in {build_s:.1f} s; timed: {args.texts} texts x {args.runs} runs")
    print(f"assign@{n}: median {statistics.median(big):.3f} ms "
          f"(runs: {', '.join(f'{v:.3f}' for v in big)})")
    print(f"assign@1,000: median {statistics.median(tiny):.3f} ms")
    print(f"signature alone (baseline): median {statistics.median(base):.3f} ms")
    held = f"{heap / 2**20:.1f} MiB Python heap (tracemalloc), " if heap is not None else ""
    print(f"index memory: {held}RSS growth {rss_growth / 1024:.1f} MiB "
          f"({rss_growth * 1024 / max(1, args.stored):,.0f} bytes per stored text)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
