"""`desabot nlu parse|evaluate|train`: the NLU from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.core.config import Settings
from bot.core.paths import nlu_dir


def add_nlu_commands(sub: argparse._SubParsersAction) -> None:
    """Register the `nlu` subcommand."""
    nlu = sub.add_parser("nlu", help="parse or evaluate messages with the NLU")
    nlu.set_defaults(func=cmd_nlu)
    nlu.add_argument("action", choices=["parse", "evaluate", "train"])
    nlu.add_argument("--backend", choices=["embedded", "rasa"], default=None)
    nlu.add_argument("--data", type=Path, help="evaluate: Rasa YAML or JSON lines file")


def _understanding(settings: Settings, backend: str | None):  # type: ignore[no-untyped-def]
    from nlu.service import Understanding

    return Understanding.create(nlu_dir(), settings.data_dir / "nlu-cache",
                                backend or settings.nlu_backend, settings.rasa_url,
                                max(settings.rasa_timeout, 5.0) if backend == "rasa" else
                                settings.rasa_timeout)


def cmd_nlu(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch the nlu actions."""
    understanding = _understanding(settings, args.backend)
    try:
        if args.action == "train":
            print(f"embedded model ready ({len(understanding.embedded.labels)} intents)")
            return 0
        if args.action == "parse":
            for line in sys.stdin:
                if line.strip():
                    result = understanding.parse(line.rstrip("\n"))
                    print(json.dumps(result, ensure_ascii=False), flush=True)
            return 0
        from nlu.evaluate import evaluate, load_labelled, report

        if args.data is None:
            args.data = nlu_dir() / "tests" / "test_data.yml"
        print(report(evaluate(understanding.parse, load_labelled(args.data))))
        return 0
    finally:
        understanding.close()
