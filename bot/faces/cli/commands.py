"""The operator's shell commands of `desabot`: database, catalogs, content, checks, backups.

Each command parses its arguments, calls the domain (or storage) and prints one line per
result; errors are one line, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from bot.core.config import Settings


def add_shell_commands(sub: argparse._SubParsersAction) -> None:
    """The commands an operator runs from a shell; `run` and `emulator` come from bot.main."""
    db = add(sub, "db", cmd_db, "database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    i18n = add(sub, "i18n", cmd_i18n, "gettext catalogs")
    i18n.add_argument("action", choices=["update", "compile", "check"])
    content = add(sub, "content", cmd_content, "check content, list unanswered questions")
    content.add_argument("action", choices=["check", "unanswered"])
    content.add_argument("--limit", type=int, default=20)
    ask = add(sub, "ask", cmd_ask, "print the answer a villager would get")
    ask.add_argument("question", nargs="?", help="the question (default: one per stdin line)")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    add(sub, "doctor", cmd_doctor, "check configuration, database, content, NLU, Telegram")
    back = add(sub, "backup", cmd_backup, "copy the SQLite database (while running)")
    back.add_argument("file", type=Path)
    back.add_argument("--force", action="store_true", help="replace an existing file")
    rest = add(sub, "restore", cmd_restore, "restore the SQLite database from a backup")
    rest.add_argument("file", type=Path)
    from bot.faces.cli.admin import add_admin_commands
    from bot.faces.cli.campaigns import add_campaign_commands
    from bot.faces.cli.checks import add_check_commands
    from bot.faces.cli.nlu_commands import add_nlu_commands
    from bot.faces.cli.regions import add_region_commands

    add_nlu_commands(sub)
    add_check_commands(sub)
    add_campaign_commands(sub)
    add_admin_commands(sub)
    add_region_commands(sub)


def add(sub: argparse._SubParsersAction, name: str, func: Callable, help_text: str
        ) -> argparse.ArgumentParser:
    """One subcommand whose `func(args, settings)` runs it."""
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the schema or show its revision."""
    from bot.core.storage.migrate import current_revision, head_revision, upgrade
    from bot.core.storage.session import make_engine

    if args.action == "upgrade":
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    head = head_revision(settings.database_url)
    print(f"database at {current_revision(engine)} (code head {head})")
    engine.dispose()
    return 0


def cmd_i18n(args: argparse.Namespace, settings: Settings) -> int:
    """Update, compile or check the catalogs."""
    from bot.faces.cli import catalogs as i18n_tools

    if args.action == "update":
        todo = i18n_tools.update()
        print(f"catalogs updated; {len(todo)} string(s) to translate")
        for msgid in todo:
            print(f"  {msgid}")
        return 0
    if args.action == "compile":
        i18n_tools.compile_all()
        return 0
    found = i18n_tools.problems()
    for problem in found:
        print(problem, file=sys.stderr)
    print("catalogs ok" if not found else f"{len(found)} catalog problem(s)")
    return 1 if found else 0


def cmd_content(args: argparse.Namespace, settings: Settings) -> int:
    """Validate content/id/ or list unanswered questions."""
    if args.action == "check":
        from bot.domain.content.check import check_all

        for line in check_all():
            print(line)
        return 0
    from bot.core.storage.migrate import upgrade
    from bot.core.storage.session import Database
    from bot.domain.answers.unanswered import most_frequent

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    for text, count, guess in most_frequent(db, args.limit):
        print(f"{count:5d}  {text}" + (f"   (closest: {guess})" if guess else ""))
    db.dispose()
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Preview answers without Telegram."""
    from bot.faces.cli.preview import preview

    questions = [args.question] if args.question else [q for q in sys.stdin.read().splitlines()
                                                         if q.strip()]
    for reply in preview(settings, questions):
        print(json.dumps(reply.as_dict(), ensure_ascii=False) if args.json else reply.render())
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Say what is wrong, in plain words."""
    from bot.faces.cli.doctor import run_checks

    findings = run_checks(settings)
    for finding in findings:
        print(f"[{'ok' if finding.ok else 'PROBLEM'}] {finding.name}: {finding.message}")
    bad = [f for f in findings if not f.ok]
    print("all good" if not bad else f"{len(bad)} problem(s) found")
    return 1 if bad else 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Back up the SQLite file."""
    from bot.faces.cli.backup import BackupError, backup

    try:
        size = backup(settings.database_url, args.file, args.force)
    except BackupError as exc:
        print(f"desabot: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {args.file} ({size} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Restore the SQLite file."""
    from bot.faces.cli.backup import BackupError, restore

    try:
        restore(settings.database_url, args.file)
    except BackupError as exc:
        print(f"desabot: {exc}", file=sys.stderr)
        return 1
    print(f"database restored from {args.file}")
    return 0
