"""Do answers to fact questions carry the fact asked for and name its source?

Runs every question of a held-out set (default `tests/fixtures/fact_questions.yml`) through
the same path as a villager's message in a private chat (the embedded NLU, then
`respond`), and counts the replies whose text contains the fact's value (spaces, dots,
dashes and case ignored) and that name the fact's source: one of the question's URLs among
the reply's sources, with that source's publisher in the text the villager reads.

Baseline, in the same run: the same NLU with only the intents' general answers (no
question-level entries), which is how answers were chosen before entries existed.
The figures are deterministic for a given NLU model: one run is enough.

It also prints the CPU time of choosing an answer (`respond`, the NLU's parse apart), median
per message over `--runs` passes over the set, with the baseline's in the same run: fact
statements are scored per message, and a villager's reply waits for it.

    .venv/bin/python benchmarks/fact_answers.py [--data FILE] [--verbose] [--runs N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from answer_pipeline import answer_pipeline  # noqa: E402

from bot.domain.answers.book import AnswerBook  # noqa: E402
from bot.domain.answers.conversation import Understood, respond  # noqa: E402
from bot.domain.answers.retrieval import QuestionIndex  # noqa: E402
from bot.domain.replies import Reply  # noqa: E402

DEFAULT = ROOT / "tests" / "fixtures" / "fact_questions.yml"


def squash(text: str) -> str:
    """Lowercase without spaces, dots, commas, dashes: '0-800-1000' == '08001000'."""
    return re.sub(r"[\s.,\-–]", "", text.lower())


def verdict(reply: Reply, values: list[str], urls: list[str]) -> tuple[bool, bool]:
    """(the value is in the text, a source of the fact is named in the text)."""
    has_value = any(squash(v) in squash(reply.text) for v in values)
    named = any(s.url in urls and s.publisher in reply.text for s in reply.sources)
    return has_value, named


def general_only(book: AnswerBook) -> QuestionIndex:
    """The index of the intents' general variants only (the baseline)."""
    return QuestionIndex({i: a.questions for i, a in book.answers.items()})


def main() -> int:
    """Print how many answers carry the fact and its source, with and without entries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over the set")
    args = parser.parse_args()
    items = yaml.safe_load(args.data.read_text(encoding="utf-8"))["questions"]
    started = time.perf_counter()
    with answer_pipeline() as pipeline:
        parse_started = time.process_time()
        understood = [pipeline.understand(item["q"]) for item in items]
        nlu_ms = (time.process_time() - parse_started) * 1000 / len(items)
    book = pipeline.book
    modes = {"with entries": pipeline.index, "baseline (general answers)": general_only(book)}
    results: dict[str, list[tuple[bool, bool]]] = {mode: [] for mode in modes}
    for mode, index in modes.items():
        for item, parsed in zip(items, understood, strict=True):
            reply = respond(parsed, item["q"], book, index)
            got = verdict(reply, item["values"], item["urls"])
            results[mode].append(got)
            if args.verbose and mode == "with entries" and not all(got):
                print(f"MISS value={got[0]} source={got[1]} intent={reply.intent} "
                      f"entry={reply.meta.get('entry')}: {item['q']}")
    print(f"{args.data.name}: {len(items)} fact questions "
          f"({time.perf_counter() - started:.1f} s)")
    for mode, got in results.items():
        both = sum(1 for value, source in got if value and source)
        print(f"  {mode:28s} fact and source: {both:3d}/{len(got)} ({both / len(got):.0%});"
              f" fact: {sum(v for v, _ in got)}; source named: {sum(s for _, s in got)}")
    timings = {mode: _answer_ms(items, understood, book, index, args.runs)
               for mode, index in modes.items()}
    print(f"  CPU per message, median of {args.runs} runs: NLU parse {nlu_ms:.2f} ms (one run); "
          + "; ".join(f"choosing the answer {mode}: {ms:.2f} ms" for mode, ms in timings.items()))
    return 0


def _answer_ms(items: list[dict], understood: list[Understood], book: AnswerBook,
               index: QuestionIndex, runs: int) -> float:
    """Median over `runs` passes of the CPU ms `respond` takes per message."""
    per_run = []
    for _ in range(max(runs, 1)):
        started = time.process_time()
        for item, parsed in zip(items, understood, strict=True):
            respond(parsed, item["q"], book, index)
        per_run.append((time.process_time() - started) * 1000 / len(items))
    return statistics.median(per_run)


if __name__ == "__main__":
    raise SystemExit(main())
