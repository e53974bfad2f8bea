"""`desabot bots` and `desabot campaign national`: regional bots and national campaigns.

Tokens are never printed: a bot is named by its key (BOT_TOKENS), as in URLs and the logs.
"""

from __future__ import annotations

import argparse

from bot.core.config import Settings


def add_region_commands(sub: argparse._SubParsersAction) -> None:
    """Register `bots list|assign` and `campaign national`."""
    bots = sub.add_parser("bots", help="the deployment's bots (BOT_TOKENS) and their offices",
                          description="list: every bot key with its villages (tokens are never "
                                      "shown). assign: an office and its villages use a bot.")
    bots.set_defaults(func=cmd_bots)
    bots.add_argument("action", choices=["list", "assign"])
    bots.add_argument("--office", help="assign: the office code")
    bots.add_argument("--bot", help="assign: a key of BOT_TOKENS, or 'default'")
    national = sub.add_parser(
        "campaign", help="a lesson or quiz to every village of every bot",
        description="national: store one broadcast per village with subscribers or groups; "
                    "every running bot process sends its bots' villages' share at once.")
    national.set_defaults(func=cmd_campaign)
    national.add_argument("action", choices=["national"])
    what = national.add_mutually_exclusive_group(required=True)
    what.add_argument("--lesson", help="a lesson id (content/id/lessons)")
    what.add_argument("--quiz", help="a quiz question id (content/id/quizzes)")


def cmd_bots(args: argparse.Namespace, settings: Settings) -> int:
    """List the bots, or give an office (and its villages) a bot."""
    from bot.core.storage.migrate import upgrade
    from bot.core.storage.session import Database
    from bot.domain.programme.national import NationalError, assign_office_bot, villages_per_bot

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        known = [b.key for b in settings.bots]
        if args.action == "list":
            counts = villages_per_bot(db)
            default = counts.pop(None, 0)
            for key in known:
                served = default if key == settings.bot_key else counts.pop(key, 0)
                print(f"{key}: {served} village(s)" + (" (default)" if key == settings.bot_key
                                                       else ""))
            for key, served in sorted(counts.items()):
                print(f"{key}: {served} village(s), NOT in BOT_TOKENS: sent by the default bot")
            return 0
        if not args.office or not args.bot:
            return _fail("bots assign needs --office CODE and --bot KEY")
        if args.bot != "default" and args.bot not in known:
            return _fail(f"no bot {args.bot!r} in BOT_TOKENS (known: {', '.join(known) or '-'})")
        key = None if args.bot in ("default", settings.bot_key) else args.bot
        try:
            villages = assign_office_bot(db, args.office, key)
        except NationalError as exc:
            return _fail(str(exc))
        print(f"office {args.office}: bot {args.bot}; {villages} village(s) follow")
        return 0
    finally:
        db.dispose()


def cmd_campaign(args: argparse.Namespace, settings: Settings) -> int:
    """Store a national campaign and say how many chats each bot will reach."""
    from bot.core.paths import content_dir
    from bot.core.storage.migrate import upgrade
    from bot.core.storage.session import Database
    from bot.domain.programme.library import Library
    from bot.domain.programme.national import NationalError, content_for, send_national

    try:
        kind, content = content_for(Library.load(content_dir() / "id"), args.lesson, args.quiz)
    except NationalError as exc:
        return _fail(str(exc))
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        campaign = send_national(db, kind, content)
    finally:
        db.dispose()
    print(f"national {kind}: {len(campaign.broadcasts)} village(s), "
          f"{campaign.recipients} chat(s)")
    for key, count in sorted(campaign.per_bot.items(), key=lambda kv: kv[0] or ""):
        print(f"  {key or settings.bot_key}: {count} chat(s)")
    return 0


def _fail(message: str) -> int:
    import sys

    print(f"desabot: {message}", file=sys.stderr)
    return 1
