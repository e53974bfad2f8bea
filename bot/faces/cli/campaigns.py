"""`desabot offers cluster` and `desabot offers purge`: recruiters' campaigns from the shell."""

from __future__ import annotations

import argparse
import json
import sys

from bot.core.config import Settings


def add_campaign_commands(sub: argparse._SubParsersAction) -> None:
    """Register `offers cluster|purge`."""
    offers = sub.add_parser(
        "offers", help="group offer texts into campaigns, or purge old campaign texts",
        description="cluster: JSON lines {\"id\", \"text\"} on stdin -> {\"id\", \"cluster\"} "
                    "on stdout, grouped as the bot groups them. purge: delete campaign texts "
                    "and villagers' check links older than CAMPAIGN_RETENTION_DAYS.")
    offers.set_defaults(func=cmd_offers)
    offers.add_argument("action", choices=["cluster", "purge"])
    offers.add_argument("--older-than-days", type=float, default=None,
                        help="purge: instead of CAMPAIGN_RETENTION_DAYS")


def cmd_offers(args: argparse.Namespace, settings: Settings) -> int:
    """Cluster stdin, or purge the database's old campaign texts."""
    if args.action == "purge":
        from bot.core.storage.migrate import upgrade
        from bot.core.storage.session import Database
        from bot.domain.campaigns.store import purge

        upgrade(settings.database_url)
        db = Database(settings.database_url)
        days = args.older_than_days if args.older_than_days is not None else \
            settings.campaign_retention_days
        texts, links = purge(db, days)
        db.dispose()
        print(f"purged {texts} campaign text(s) and {links} check link(s) older than "
              f"{days:g} days")
        return 0
    return _cluster()


def _cluster() -> int:
    from bot.domain.campaigns.grouping import cluster

    rows = []
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows.append((row["id"], str(row["text"])))
        except (ValueError, KeyError, TypeError):
            print(f"desabot: line {number} is not a JSON object with \"id\" and \"text\"",
                  file=sys.stderr)
            return 1
    for (row_id, _text), label in zip(rows, cluster(t for _, t in rows), strict=True):
        print(json.dumps({"id": row_id, "cluster": label}, ensure_ascii=False))
    return 0
