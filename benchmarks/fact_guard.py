"""Do messages that are not fact questions keep their own answer?

Fact answers (asked.py, factsearch.py) replace a chosen answer by the fact asked for. That must
never happen to an offer to check, a plea for help, a report, a quiz, a subscription or an
off-topic message. This runs every message of those intents in the NLU sets under
`tests/fixtures/nlu_*.yml` through the same path as a villager's message (the embedded NLU,
then `respond`) and counts those whose reply is another intent's answer or a fact's own
statement ("moved away"). Some are moved by the NLU itself; compare a branch with its
baseline (run both), not with zero.

    .venv/bin/python benchmarks/fact_guard.py [--verbose]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from answer_pipeline import answer_pipeline  # noqa: E402

from bot.domain.answers.factentries import is_generated  # noqa: E402
from bot.domain.answers.retrieval import split_label  # noqa: E402

GUARDED = ("out_of_scope", "offer_check", "emergency_help", "report_tip", "agency_check",
           "quiz_start", "subscribe", "unsubscribe")


def messages() -> list[tuple[str, str]]:
    """(intent, message) for every guarded message of the NLU sets."""
    found = []
    for path in sorted((ROOT / "tests" / "fixtures").glob("nlu_*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block["intent"] in GUARDED:
                found += [(block["intent"], line.strip()[2:].strip())
                          for line in block["examples"].splitlines() if line.strip()]
    return found


def main() -> int:
    """Print how many guarded messages are moved away from their intent, per intent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every moved message")
    args = parser.parse_args()
    moved: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    with answer_pipeline() as pipeline:
        for intent, text in messages():
            reply = pipeline.answer(text)
            entry = split_label(reply.meta.get("entry") or "")[1] or ""
            total[intent] += 1
            if reply.intent != intent or is_generated(entry):
                moved[intent] += 1
                if args.verbose:
                    print(f"MOVED {intent} -> {reply.meta.get('entry') or reply.intent}: "
                          f"{text}")
    print(f"moved away: {sum(moved.values())}/{sum(total.values())}; "
          + ", ".join(f"{i} {moved[i]}/{total[i]}" for i in GUARDED if total[i]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
