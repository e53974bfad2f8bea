"""`desabot agencies import` and `desabot offer assess`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.core.config import Settings


def add_check_commands(sub: argparse._SubParsersAction) -> None:
    """Register the `agencies` and `offer` subcommands."""
    agencies = sub.add_parser("agencies", help="the register of licensed agencies (P3MI)")
    agencies.set_defaults(func=cmd_agencies)
    agencies.add_argument("action", choices=["import", "check"])
    agencies.add_argument("target", help="import: the CSV file; check: a company name")
    offer = sub.add_parser("offer", help="assess job offers (one per stdin line)")
    offer.set_defaults(func=cmd_offer)
    offer.add_argument("action", choices=["assess"])


def cmd_agencies(args: argparse.Namespace, settings: Settings) -> int:
    """Import the register (replacing it) or check one name against it."""
    from datetime import date

    from bot.core.storage.migrate import upgrade
    from bot.core.storage.session import Database
    from bot.domain.agencies.register import RegisterError, import_register, lookup
    from bot.faces.cli.inputs import InputError, readable_csv

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        if args.action == "check":
            found = lookup(db, args.target, date.today())
            print(json.dumps({"verdict": found.verdict, "name": found.name,
                              "licence_number": found.licence_number,
                              "suggestion": found.suggestion}, ensure_ascii=False))
            return 0
        with readable_csv(Path(args.target)):
            report = import_register(db, Path(args.target))
    except (RegisterError, InputError) as exc:
        print(f"desabot: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"desabot: cannot read {args.target}: {exc.strerror}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"imported {report.total} agencies: {report.added_count} added, "
          f"{report.removed_count} removed, {report.changed_count} changed")
    for label, names, count in (("added", report.added, report.added_count),
                                ("removed", report.removed, report.removed_count),
                                ("changed", report.changed, report.changed_count)):
        for name in names:
            print(f"  {label}: {name}")
        if count > len(names):
            print(f"  ... and {count - len(names)} more {label}")
    return 0


def cmd_offer(args: argparse.Namespace, settings: Settings) -> int:
    """One JSON object per input line: risk, flags, summary."""
    from bot.domain.offers.assessment import assess

    for line in sys.stdin:
        if not line.strip():
            continue
        result = assess(line.rstrip("\n"))
        print(json.dumps({"risk": result.risk, "flags": [f.name for f in result.flags],
                          "summary": result.summary}, ensure_ascii=False), flush=True)
    return 0
