"""Administration from the shell: offices, officers, officials, villages, tips, statistics."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

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
        parser.add_argument("--bot-username", default=None,
                            help="the bot the link names (default: asked from Telegram)")
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
    villages.add_argument("--bot-username", default=None,
                          help="the bot the link names (default: asked from Telegram)")
    villages.add_argument("--force", action="store_true", help="poster: replace --out")
    tips = _parser(sub, "tips", cmd_tips, "export or purge tips; block or unblock a reporter")
    tips.add_argument("action", choices=["export", "purge", "block", "unblock"])
    tips.add_argument("--code", help="block/unblock: the tip whose reporter it is")
    tips.add_argument("--office")
    tips.add_argument("--since", type=datetime.fromisoformat)
    tips.add_argument("--closed-before", type=datetime.fromisoformat)
    tips.add_argument("--out", type=Path)
    tips.add_argument("--force", action="store_true", help="export: replace an existing --out")
    stats = _parser(sub, "stats", cmd_stats, "quiz results")
    stats.add_argument("action", choices=["export"])
    stats.add_argument("--out", type=Path)
    stats.add_argument("--force", action="store_true", help="replace an existing --out")


def _parser(sub: argparse._SubParsersAction, name: str, func: Callable,
            help_text: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser


_opened: list[Database] = []


def _db(settings: Settings) -> Database:
    from bot.core.storage.migrate import upgrade

    upgrade(settings.database_url)
    _opened.append(Database(settings.database_url))
    return _opened[-1]


def dispose_databases() -> None:
    """Close the connections the commands opened (bot.main calls it after every command)."""
    while _opened:
        _opened.pop().dispose()


def _fail(message: str) -> int:
    print(f"desabot: {message}", file=sys.stderr)
    return 1


def database_files(settings: Settings) -> tuple[Path, ...]:
    """The SQLite file and its journals, which no `--out` may replace."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return ()
    main = Path(url.database)
    return (main, main.with_name(main.name + "-wal"), main.with_name(main.name + "-shm"))


def _write_csv(args: argparse.Namespace, settings: Settings,
               write: Callable[[TextIO], int]) -> int:
    """Write to --out (0600, renamed into place when complete) or to standard output."""
    from bot.faces.cli.outfiles import OutputError, private_text

    if args.out is None:
        return write(sys.stdout)
    try:
        with private_text(args.out, args.force, database_files(settings)) as out:
            return write(out)
    except OutputError as exc:
        raise CommandError(str(exc)) from None


class CommandError(Exception):
    """A command cannot be done; the message is one line for the operator."""


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

    from bot.domain.messaging.bots import link_bot
    from bot.domain.people.roles import INVITE_PREFIX, RoleError, create_invite, revoke_officer
    from bot.faces.cli.bot_identity import UnknownBot, link_username

    if args.action == "invite" and args.role == "officer" and not args.office:
        return _fail("officers invite needs --office CODE (see `desabot offices add`)")
    if args.action == "invite" and args.role == "official" and not args.village:
        return _fail("officials invite needs --village CODE (see `desabot villages import`)")
    db = _db(settings)
    if args.action == "revoke":
        if args.telegram_id is None:
            return _fail("revoke needs --telegram-id")
        count = revoke_officer(db, args.telegram_id) if args.role == "officer" else \
            _revoke_official(db, args.telegram_id)
        print(f"revoked {count} role(s)")
        return 0
    try:
        username = link_username(settings, args.bot_username,
                                 link_bot(db, args.office, args.village))
        role = "admin" if args.admin and args.role == "officer" else args.role
        token = create_invite(db, role, office_code=args.office,
                              village_code=args.village, ttl=timedelta(days=args.days))
    except (RoleError, UnknownBot) as exc:
        return _fail(str(exc))
    print(f"https://t.me/{username}?start={INVITE_PREFIX}{token}")
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
        from bot.faces.cli.inputs import InputError, readable_csv

        if args.file is None:
            return _fail("villages import needs the CSV file")
        try:
            with readable_csv(Path(args.file)):
                report = import_villages(db, Path(args.file))
        except (VillageImportError, InputError) as exc:
            return _fail(str(exc))
        print(f"villages: {report.added} added, {report.updated} updated")
        return 0
    from bot.core.paths import content_dir
    from bot.domain.answers.book import AnswerBook
    from bot.domain.messaging.bots import link_bot
    from bot.domain.programme.membership import village_by_code
    from bot.domain.programme.poster import FORMATS, PosterError, make_poster, poster_text
    from bot.faces.cli.bot_identity import UnknownBot, link_username
    from bot.faces.cli.outfiles import OutputError, private_file

    village = village_by_code(db, args.village or "")
    if village is None or args.out is None:
        return _fail("poster needs --village CODE (an imported village) and --out FILE")
    if args.out.suffix.lower() not in FORMATS:
        return _fail(f"poster --out must end in .png, .pdf or .jpg, not {args.out.name!r}")
    try:
        username = link_username(settings, args.bot_username, link_bot(db, None, args.village))
    except UnknownBot as exc:
        return _fail(str(exc))
    link = f"https://t.me/{username}?start=desa_{args.village.replace('.', '_')}"
    try:
        text = poster_text(db, village, link, AnswerBook.load(content_dir() / "id" / "answers"))
        with private_file(args.out, args.force, database_files(settings)) as temporary:
            make_poster(text, temporary)
    except (PosterError, OutputError, OSError) as exc:
        return _fail(str(exc))
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
    if args.action in {"block", "unblock"}:
        return _block(db, args.code, args.action == "block")
    if args.action == "purge":
        if args.closed_before is None:
            return _fail("purge needs --closed-before YYYY-MM-DD")
        print(f"purged personal data from {purge(db, args.closed_before)} tip(s)")
        return 0
    if not args.office:
        return _fail("export needs --office CODE")
    from bot.domain.people.roles import RoleError

    try:
        count = _write_csv(args, settings,
                           lambda out: export_csv(db, args.office, args.since, out))
    except (CommandError, RoleError) as exc:
        return _fail(str(exc))
    print(f"exported {count} tip(s)", file=sys.stderr)
    return 0


def _block(db: Database, code: str | None, block: bool) -> int:
    """Block or unblock the reporter of a tip (an audit event records it; nobody is named)."""
    from bot.domain.tips.submission import TipError
    from bot.domain.tips.triage import set_blocked_by_code

    if not code:
        return _fail(f"{'block' if block else 'unblock'} needs --code LP-XXXXXXXX")
    try:
        tip = set_blocked_by_code(db, code, block)
    except TipError as exc:
        reasons = {"not_found": f"no tip with code {code!r}",
                   "purged": f"tip {code} was purged: its reporter is no longer known"}
        return _fail(reasons.get(exc.reason, exc.reason))
    print(f"reporter of tip {tip.code} {'blocked' if block else 'unblocked'}")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Quiz results per village as CSV."""
    from bot.domain.programme.exports import export_stats

    db = _db(settings)
    try:
        count = _write_csv(args, settings, lambda out: export_stats(db, out))
    except CommandError as exc:
        return _fail(str(exc))
    print(f"exported {count} village(s)", file=sys.stderr)
    return 0
