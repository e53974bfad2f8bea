"""The `desabot` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings, setup_logging
from bot.content.yamlfile import ContentError


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one subcommand; errors are one line, not tracebacks."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        setup_logging(settings.log_level, settings.log_format)
        return args.func(args, settings) or 0
    except ConfigError as exc:
        print(f"desabot: configuration error: {exc}", file=sys.stderr)
    except ContentError as exc:
        print(f"desabot: content error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 2


def build_parser() -> argparse.ArgumentParser:
    """All subcommands."""
    parser = argparse.ArgumentParser(prog="desabot", description="Desa Binaan Telegram bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = _add(sub, "run", cmd_run, "start the bot (the console when no token is set)")
    run.add_argument("--webhook", action="store_true", help="serve a webhook, not polling")
    worker = sub.add_parser("worker")  # internal: started by `run` when BOT_WORKERS > 1
    worker.add_argument("index", type=int)
    worker.set_defaults(func=cmd_worker)
    emu = _add(sub, "emulator", cmd_emulator, "run the local Bot API emulator")
    emu.add_argument("--host", default="127.0.0.1")
    emu.add_argument("--port", type=int, default=8081)
    emu.add_argument("--token", default=None, help="accept only this bot token")
    emu.add_argument("--no-console", action="store_true", help="serve only, no chat prompt")
    db = _add(sub, "db", cmd_db, "database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    i18n = _add(sub, "i18n", cmd_i18n, "gettext catalogs")
    i18n.add_argument("action", choices=["update", "compile", "check"])
    content = _add(sub, "content", cmd_content, "check content, list unanswered questions")
    content.add_argument("action", choices=["check", "unanswered"])
    content.add_argument("--limit", type=int, default=20)
    ask = _add(sub, "ask", cmd_ask, "print the answer a villager would get")
    ask.add_argument("question", nargs="?", help="the question (default: one per stdin line)")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    _add(sub, "doctor", cmd_doctor, "check configuration, database, content, NLU, Telegram")
    back = _add(sub, "backup", cmd_backup, "copy the SQLite database (while running)")
    back.add_argument("file", type=Path)
    rest = _add(sub, "restore", cmd_restore, "restore the SQLite database from a backup")
    rest.add_argument("file", type=Path)
    from bot.cli_admin import add_admin_commands
    from bot.cli_checks import add_check_commands
    from bot.cli_nlu import add_nlu_commands

    add_nlu_commands(sub)
    add_check_commands(sub)
    add_admin_commands(sub)
    return parser


def _add(sub: argparse._SubParsersAction, name: str, func: Callable, help_text: str
         ) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Start the bot."""
    from bot.runner import run

    return run(settings, webhook=args.webhook)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """One worker process of a multi-process bot; started by `desabot run`, not by hand."""
    from bot.worker import run_worker

    run_worker(settings, args.index)
    return 0


def cmd_emulator(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the emulator standalone."""
    from bot.runner import serve_emulator

    asyncio.run(serve_emulator(args.host, args.port, args.token, not args.no_console))
    return 0


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the schema or show its revision."""
    from bot.db.migrate import current_revision, head_revision, upgrade
    from bot.db.session import make_engine

    if args.action == "upgrade":
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    head = head_revision(settings.database_url)
    print(f"database at {current_revision(engine)} (code head {head})")
    engine.dispose()
    return 0


def cmd_i18n(args: argparse.Namespace, settings: Settings) -> int:
    """Update, compile or check the catalogs."""
    from bot import i18n_tools

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
        from bot.content.check import check_all

        for line in check_all():
            print(line)
        return 0
    from bot.db.migrate import upgrade
    from bot.db.session import Database
    from bot.domain.unanswered import most_frequent

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    for text, count, guess in most_frequent(db, args.limit):
        print(f"{count:5d}  {text}" + (f"   (closest: {guess})" if guess else ""))
    db.dispose()
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Preview answers without Telegram."""
    from bot.preview import preview

    questions = [args.question] if args.question else [q for q in sys.stdin.read().splitlines()
                                                         if q.strip()]
    for reply in preview(settings, questions):
        print(json.dumps(reply.as_dict(), ensure_ascii=False) if args.json else reply.render())
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Say what is wrong, in plain words."""
    from bot.doctor import run_checks

    findings = run_checks(settings)
    for finding in findings:
        print(f"[{'ok' if finding.ok else 'PROBLEM'}] {finding.name}: {finding.message}")
    bad = [f for f in findings if not f.ok]
    print("all good" if not bad else f"{len(bad)} problem(s) found")
    return 1 if bad else 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Back up the SQLite file."""
    from bot.backup import BackupError, backup

    try:
        size = backup(settings.database_url, args.file)
    except BackupError as exc:
        print(f"desabot: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {args.file} ({size} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Restore the SQLite file."""
    from bot.backup import BackupError, restore

    try:
        restore(settings.database_url, args.file)
    except BackupError as exc:
        print(f"desabot: {exc}", file=sys.stderr)
        return 1
    print(f"database restored from {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
