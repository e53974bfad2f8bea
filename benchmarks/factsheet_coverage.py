"""Which sourced bullets of the fact sheet can a villager get answered, with the fact?

For every bullet of the fact sheet that names a source URL: does a registry fact
(`content/id/facts/`) have that source, and does an answer entry's short text (the first
message) state that fact? Bullets marked "diganti" (replaced) are listed apart: content must
not use them. The fact sheet is read where it lies (it is not part of the repository).

    .venv/bin/python benchmarks/factsheet_coverage.py [--sheet PATH] [--gaps] [--gaps-all]
        [--unstated]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.paths import content_dir  # noqa: E402
from bot.domain.answers.book import AnswerBook  # noqa: E402
from bot.domain.content.coverage import (  # noqa: E402
    CARRY_SHARE,
    bullets,
    coverage,
    uncarried,
    unstated_facts,
)
from bot.domain.content.facts import FactRegistry  # noqa: E402

DEFAULT_SHEET = ROOT.parent / "shared" / "facts" / "factsheet.md"


def main() -> int:
    """Print the coverage of the fact sheet by registry facts and answer entries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheet", type=Path, default=DEFAULT_SHEET)
    parser.add_argument("--gaps", action="store_true",
                        help="list the bullets with a figure that no entry (written or "
                             "generated) states")
    parser.add_argument("--gaps-all", action="store_true",
                        help="list the current bullets (figure or not) that no registry fact "
                             "carries: same source URL and enough shared words")
    parser.add_argument("--unstated", action="store_true",
                        help="list registry facts with a figure that no short text states")
    args = parser.parse_args()
    if not args.sheet.exists():
        print(f"no fact sheet at {args.sheet}; pass --sheet PATH")
        return 1
    registry = FactRegistry.load(content_dir() / "id" / "facts")
    book = AnswerBook.load(content_dir() / "id" / "answers", registry)
    rows = coverage(bullets(args.sheet.read_text(encoding="utf-8")), registry, book)
    current = [r for r in rows if not r.bullet.replaced]
    numbered = [r for r in current if r.bullet.has_number]
    print(f"{args.sheet.name}: {len(rows)} sourced bullets, {len(rows) - len(current)} "
          "marked diganti")
    for name, group in (("all current", current), ("with a figure", numbered)):
        facts = sum(1 for r in group if r.facts)
        short = sum(1 for r in group if r.in_answers)
        entry = sum(1 for r in group if r.answered)
        able = sum(1 for r in group if r.answerable)
        print(f"  {name:14s} {len(group):3d}: registry fact {facts:3d}; in a short text "
              f"{short:3d}; in a written entry {entry:3d}; written or generated entry "
              f"{able:3d} ({able / max(len(group), 1):.0%})")
    if args.gaps:
        for r in numbered:
            if not r.answerable:
                status = "no fact" if not r.facts else "no entry (" + ", ".join(r.facts[:3]) + ")"
                print(f"  GAP {r.bullet.section} l.{r.bullet.line} {status}: "
                      f"{r.bullet.text[:110]}")
    if args.gaps_all:
        gaps = uncarried(rows, registry)
        print(f"  carried by a registry fact (source URL + {CARRY_SHARE:.0%} of its words in "
              f"the bullet): {len(current) - len(gaps)} of {len(current)} current bullets; "
              f"{len(gaps)} gaps")
        for r, share in gaps:
            print(f"  GAP-ALL {r.bullet.section} l.{r.bullet.line} best same-URL fact "
                  f"{share:.0%}: {r.bullet.text[:100]}")
    if args.unstated:
        for fact_id in unstated_facts(registry, book):
            print(f"  UNSTATED {fact_id}: {registry[fact_id].value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
