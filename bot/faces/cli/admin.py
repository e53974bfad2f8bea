"""Administration from the shell: offices, officers, officials, villages, tips, statistics."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.core.config import Settings
from bot.core.storage.session import Database


def add_admin_commands(sub: argparse._SubParsersAction) -> None:
    """Register `offices`, `officers`, `officials`, `villages`, `tips` and `stats`."""
    offices = _parser(sub, "offices", cmd_offices, "immigration / BP3MI offices")
    offices.add_argument("action", choices=["add"])
    offices.add_argument("--code", required=True)
    offices.add_argument("--name", required=True)
    offices.add_argument("--kind", default="imigrasi", choices=["imigrasi", "bp3mi", "polisi"])
    offices.add_argument("--group", type=int, default=None, help="officers' group chat id")
    offices.add_argument("--default", action="store_true", help="for tips of unknown villages")
    offices.add_argument("--allow-messages", action="store_true",
                         help="officials may write their own messages (an officer approves)")
    offices.add_argument("--covers", action="append", default=[], metavar="REGENCY",
                         help='a kabupaten/kota the office covers, e.g. "KAB. BINTAN" '
                              "(repeatable): its villages and their tips go to this office")
    for role in ("officers", "officials"):
        parser = _parser(sub, role, cmd_roles, f"invite or revoke {role}")
        parser.add_argument("action", choices=["invite", "revoke"])
        parser.add_argument("--office", help="office code (officers)")
        parser.add_argument("--village", help="village region code (officials)")
        parser.add_argument("--telegram-id", type=int, help="revoke: the account")
        parser.add_argument("--days", type=float, default=3.0, help="invite validity")
        parser.add_argument("--bot-username", default="desabinaan_bot")
        parser.add_argument("--admin", action="store_true",
                            help="officers: an office admin (the dashboard's People page)")
        parser.set_defaults(role=role[:-1])
    villages = _parser(sub, "villages", cmd_villages, "the village list and posters")
    villages.add_argument("action", choices=["import", "poster", "add", "search"])
    villages.add_argument("file", nargs="?", help="import: the CSV; search: the name")
    villages.add_argument("--gazetteer", metavar="CODE",
                          help="add: the village's code from `villages search` (AID....)")
    villages.add_argument("--office", help="add: office code (default: the covering office)")
    villages.add_argument("--village", help="poster: village region code")
    villages.add_argument("--out", type=Path, help="poster: output .png or .pdf")
    villages.add_argument("--bot-username", default="desabinaan_bot")
    tips = _parser(sub, "tips", cmd_tips, "export or purge tips")
    tips.add_argument("action", choices=["export", "purge"])
    tips.add_argument("--office")
    tips.add_argument("--since", type=datetime.fromisoformat)
    tips.add_argument("--closed-before", type=datetime.fromisoformat)
    tips.add_argument("--out", type=Path)
    stats = _parser(sub, "stats", cmd_stats, "quiz results")
    stats.add_argument("action", choices=["export"])
    stats.add_argument("--out", type=Path)


def _parser(sub: argparse._SubParsersAction, name: str, func: Callable,
            help_text: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser


def _db(settings: Settings) -> Database:
    from bot.core.storage.migrate import upgrade

    upgrade(settings.database_url)
    return Database(settings.database_url)


def _fail(message: str) -> int:
    print(f"desabot: {message}", file=sys.stderr)
    return 1


def cmd_offices(args: argparse.Namespace, settings: Settings) -> int:
    """Add or update an office."""
    from bot.domain.people.roles import add_office
    from bot.domain.programme.coverage import CoverageError, cover, covered_by

    db = _db(settings)
    office = add_office(db, args.code, args.name, args.kind, args.default,
                        args.group, args.allow_messages)
    print(f"office {office.code}: {office.name}" + (" (default)" if office.is_default else ""))
    if args.covers:
        try:
            moved = cover(db, office.code, args.covers)
        except CoverageError as exc:
            return _fail(str(exc))
        for regency in moved:
            print(f"{regency}: taken over from another office")
        print("covers: " + ", ".join(covered_by(db, office.code)))
    return 0


def cmd_roles(args: argparse.Namespace, settings: Settings) -> int:
    """Print a single-use deep link, or revoke an account."""
    from datetime import timedelta

    from bot.domain.people.roles import INVITE_PREFIX, RoleError, create_invite, revoke_officer

    db = _db(settings)
    if args.action == "revoke":
        if args.telegram_id is None:
            return _fail("revoke needs --telegram-id")
        count = revoke_officer(db, args.telegram_id) if args.role == "officer" else \
            _revoke_official(db, args.telegram_id)
        print(f"revoked {count} role(s)")
        return 0
    try:
        role = "admin" if args.admin and args.role == "officer" else args.role
        token = create_invite(db, role, office_code=args.office,
                              village_code=args.village, ttl=timedelta(days=args.days))
    except RoleError as exc:
        return _fail(str(exc))
    print(f"https://t.me/{args.bot_username}?start={INVITE_PREFIX}{token}")
    print(f"(single use, valid for {args.days:g} day(s))")
    return 0


def _revoke_official(db: Database, telegram_id: int) -> int:
    from sqlalchemy import update

    from bot.core.storage.models import Official

    with db.session() as session:
        return session.execute(update(Official).where(Official.telegram_id == telegram_id)
                               .values(active=False)).rowcount or 0


def cmd_villages(args: argparse.Namespace, settings: Settings) -> int:
    """Import the village list, add or search villages of the gazetteer, or print a poster."""
    db = _db(settings)
    if args.action == "search":
        return _search_villages(db, args.file or "")
    if args.action == "add":
        return _add_village(db, args.gazetteer, args.office)
    if args.action == "import":
        from bot.domain.programme.village_import import VillageImportError, import_villages

        if args.file is None:
            return _fail("villages import needs the CSV file")
        try:
            report = import_villages(db, Path(args.file))
        except (VillageImportError, OSError) as exc:
            return _fail(str(exc))
        print(f"villages: {report.added} added, {report.updated} updated")
        return 0
    from bot.domain.programme.membership import village_by_code
    from bot.domain.programme.poster import make_poster

    village = village_by_code(db, args.village or "")
    if village is None or args.out is None:
        return _fail("poster needs --village CODE (an imported village) and --out FILE")
    link = f"https://t.me/{args.bot_username}?start=desa_{args.village.replace('.', '_')}"
    make_poster(village.name, f"{village.district}, {village.regency}", link, args.out)
    print(f"poster written to {args.out}")
    return 0


def _search_villages(db: Database, text: str) -> int:
    """Programme villages first, then the national gazetteer, one line each."""
    from bot.domain.programme import gazetteer, villages

    if not text.strip():
        return _fail("villages search needs a name, e.g. villages search \"kelong bintan\"")
    ours = villages.search(db, text, limit=5)
    for v in ours:
        print(f"programme  {v.label}")
    found = gazetteer.search(db, text, limit=10)
    for e in found:
        where = f"office {e.programme_office}" if e.programme_office else (
            "in the programme, no office" if e.programme_office == "" else "not in a programme")
        print(f"gazetteer  {e.code}  {e.village}, {e.district}, {e.regency}, {e.province} "
              f"{e.postal_code} {e.zone}  ({where})")
    if not ours and not found:
        print("no village found")
    return 0


def _add_village(db: Database, code: str | None, office: str | None) -> int:
    """Add a gazetteer village to an office's programme."""
    from bot.domain.programme.gazetteer import GazetteerError, add_to_programme

    if not code:
        return _fail("villages add needs --gazetteer CODE (find it with villages search NAME)")
    try:
        village = add_to_programme(db, code, office)
    except GazetteerError as exc:
        return _fail(str(exc))
    print(f"added {village.label}" + ("" if village.office_id else
                                      " (no office covers it: its tips go to the default office)"))
    return 0


def cmd_tips(args: argparse.Namespace, settings: Settings) -> int:
    """Export an office's tips as CSV, or purge personal data from old closed tips."""
    from bot.domain.tips.records import export_csv, purge

    db = _db(settings)
    if args.action == "purge":
        if args.closed_before is None:
            return _fail("purge needs --closed-before YYYY-MM-DD")
        print(f"purged personal data from {purge(db, args.closed_before)} tip(s)")
        return 0
    if not args.office:
        return _fail("export needs --office CODE")
    out = args.out.open("w", encoding="utf-8", newline="") if args.out else sys.stdout
    count = export_csv(db, args.office, args.since, out)
    if args.out:
        out.close()
    print(f"exported {count} tip(s)", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Quiz results per village as CSV."""
    from bot.domain.programme.exports import export_stats

    out = args.out.open("w", encoding="utf-8", newline="") if args.out else sys.stdout
    count = export_stats(_db(settings), out)
    if args.out:
        out.close()
    print(f"exported {count} village(s)", file=sys.stderr)
    return 0
