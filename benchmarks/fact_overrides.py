"""How often does a fact's statement replace the answer a message would have got?

A generated fact entry (bot/domain/answers/factentries.py) answers only when it holds clearly
more of the question's words than the chosen answer. This counts, over labelled villager
messages that are not fact questions (the NLU sets), how many replies became a fact's
statement, by the message's labelled intent, and prints them: each should ask for a figure.

    .venv/bin/python benchmarks/fact_overrides.py [--data FILE ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from answer_pipeline import answer_pipeline  # noqa: E402

DEFAULT = [ROOT / "tests" / "fixtures" / n for n in ("nlu_fresh.yml", "nlu_sealed.yml",
                                                     "nlu_sealed2.yml")]


def messages(path: Path) -> list[tuple[str, str]]:
    """(text, labelled intent) of a Rasa-format fixture of labelled messages."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for block in raw.get("nlu") or ():
        for line in str(block.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text and "intent" in block:
                found.append((text, str(block["intent"])))
    return found


def main() -> int:
    """Print the messages whose reply became a fact's statement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="*", default=DEFAULT)
    args = parser.parse_args()
    total, by_intent = 0, Counter()
    with answer_pipeline() as pipeline:
        for path in args.data:
            for text, intent in messages(path):
                total += 1
                reply = pipeline.answer(text)
                entry = str(reply.meta.get("entry") or "")
                if "#f_" in entry:
                    by_intent[intent] += 1
                    print(f"  FACT [{intent}] {text!r} -> {reply.text[:70]!r}")
    print(f"{total} labelled messages; answered with a fact's statement: "
          f"{sum(by_intent.values())} ({dict(by_intent)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
