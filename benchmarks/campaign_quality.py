"""B-cubed precision, recall and F1 of the campaign grouping on a labelled set.

    .venv/bin/python benchmarks/campaign_quality.py                  # tests/fixtures/campaigns.yml
    .venv/bin/python benchmarks/campaign_quality.py --data held.jsonl  # {"id","text","campaign"}

The texts are grouped exactly as `desabot offers cluster` and the bot group them
(`bot.domain.campaigns.grouping.cluster`), in file order and in `--orders` shuffled orders
(the grouping is incremental, so arrival order can matter); scores are printed per split of
the fixture (`tune`: used to choose the thresholds; `test`: never looked at while tuning).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.campaigns.grouping import cluster
from bot.domain.campaigns.scoring import Scores, bcubed

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "campaigns.yml"


def load(path: Path) -> list[dict]:
    """Records with text, campaign and split, from the YAML fixture or a JSON-lines file."""
    if path.suffix in {".yml", ".yaml"}:
        return [{"text": text, "campaign": name, "split": family["split"]}
                for family in yaml.safe_load(path.read_text(encoding="utf-8"))
                for name, texts in family["campaigns"].items() for text in texts]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [{"text": r["text"], "campaign": str(r["campaign"]), "split": r.get("split", "all")}
            for r in rows]


def score(records: list[dict], orders: int, seed: int = 17) -> tuple[Scores, list[Scores]]:
    """Scores in file order, and in `orders` shuffled orders."""
    def run(rows: list[dict]) -> Scores:
        return bcubed([r["campaign"] for r in rows], cluster(r["text"] for r in rows))

    rng, shuffled = random.Random(seed), []
    for _ in range(orders):
        rows = records[:]
        rng.shuffle(rows)
        shuffled.append(run(rows))
    return run(records), shuffled


def main() -> int:
    """Print one line per split: texts, campaigns, precision, recall, F1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=FIXTURE)
    parser.add_argument("--orders", type=int, default=20, help="shuffled orders to score")
    args = parser.parse_args()
    records = load(args.data)
    splits = [*sorted({r["split"] for r in records}), "all"]
    print(f"{'split':6} {'texts':>5} {'camps':>5}  {'P':>5} {'R':>5} {'F1':>5}   "
          f"shuffled x{args.orders}: median F1 (min)")
    for split in dict.fromkeys(splits):
        rows = [r for r in records if split in {"all", r["split"]}]
        ordered, shuffled = score(rows, args.orders)
        f1s = [s.f1 for s in shuffled] or [ordered.f1]
        print(f"{split:6} {len(rows):5} {len({r['campaign'] for r in rows}):5}  "
              f"{ordered.precision:5.3f} {ordered.recall:5.3f} {ordered.f1:5.3f}   "
              f"{statistics.median(f1s):.3f} ({min(f1s):.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
