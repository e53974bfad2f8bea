"""How often a typed message would leave a multi-step flow (bot.domain.detours), on the sets.

Usage:
    .venv/bin/python benchmarks/detours_eval.py

Two figures a user would notice, neither a test:
- *kept*: every job offer of the offer sets pasted at the report's offer step, and every
  villager message labelled report_tip, offer_check, emergency_help, scam_signs or
  trafficking_info typed at its story step, should stay the report's text (a detour would
  answer it instead of storing it): the share that does.
- *left*: the messages labelled unsubscribe typed at the story step and at a name step should
  leave the flow (stop, unsubscribe or cancel): the share that does.
Prints counts per set; asserts nothing.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.domain.detours import detour  # noqa: E402
from nlu.evaluate import load_labelled  # noqa: E402
from nlu.service import Understanding  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
STORY = {"report_tip", "offer_check", "emergency_help", "scam_signs", "trafficking_info"}
LEAVES = {"stop", "unsubscribe", "cancel"}


def main() -> int:
    """Print the table."""
    nlu = Understanding.create(ROOT / "nlu", Path("/tmp/desabot-detours-nlu-cache"))
    offers = [o["text"] for path in sorted(FIXTURES.glob("offers*.yml"))
              for o in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("offers", [])]
    kinds = Counter(detour(text, "story", nlu.parse, collects=True) for text in offers)
    print(f"offers pasted at the offer step: kept {kinds[None]}/{len(offers)} {dict(kinds)}")
    for path in sorted(FIXTURES.glob("nlu_*.yml")):
        rows = load_labelled(path)
        stories = [t for t, intent in rows if intent in STORY]
        stops = [t for t, intent in rows if intent == "unsubscribe"]
        kept = Counter(detour(t, "story", nlu.parse) for t in stories)
        left_story = sum(detour(t, "story", nlu.parse) in LEAVES for t in stops)
        left_name = sum(detour(t, "name", nlu.parse) in LEAVES for t in stops)
        print(f"{path.stem:12} stories kept {kept[None]}/{len(stories)} "
              f"{ {k: v for k, v in kept.items() if k} }; unsubscribe left: story step "
              f"{left_story}/{len(stops)}, name step {left_name}/{len(stops)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
