"""The composition root: the `desabot` program, which puts the faces together.

The command line's own commands live in `bot.faces.cli`; starting the bot (the Telegram face,
in the console or against Telegram) and the emulator are added here, because only the
composition root may know every face.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy.exc import SQLAlchemyError

from bot.core.config import ConfigError, Settings, load_settings, setup_logging
from bot.core.storage.sizes import ValueTooLong
from bot.domain.content.yamlfile import ContentError
from bot.faces.cli.admin import dispose_databases
from bot.faces.cli.commands import add, add_shell_commands


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one subcommand; errors are one line, not tracebacks."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        setup_logging(settings.log_level, settings.log_format, settings.log_updates,
                      settings.secrets())
        return args.func(args, settings) or 0
    except ConfigError as exc:
        print(f"desabot: configuration error: {exc}", file=sys.stderr)
    except ContentError as exc:
        print(f"desabot: content error: {exc}", file=sys.stderr)
    except ValueTooLong as exc:
        print(f"desabot: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:  # a command's database failed: one line, not a traceback
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__]
        print(f"desabot: database error: {reason[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        dispose_databases()
    return 2


def build_parser() -> argparse.ArgumentParser:
    """All subcommands."""
    parser = argparse.ArgumentParser(prog="desabot", description="Desa Binaan Telegram bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = add(sub, "run", cmd_run, "start the bot (the console when no token is set)")
    run.add_argument("--webhook", action="store_true", help="serve a webhook, not polling")
    emu = add(sub, "emulator", cmd_emulator, "run the local Bot API emulator")
    emu.add_argument("--host", default="127.0.0.1")
    emu.add_argument("--port", type=int, default=8081)
    emu.add_argument("--token", default=None, help="accept only this bot token")
    emu.add_argument("--no-console", action="store_true", help="serve only, no chat prompt")
    add_shell_commands(sub)
    return parser


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Start the bot, and beside it, in the same event loop, the web dashboard.

    A cold NLU cache (a fresh clone) starts training first, in a child process on the other
    core, while the Telegram face is imported, the content checked and the database migrated.
    """
    from bot.core.paths import nlu_dir
    from nlu.service import Understanding

    Understanding.prepare(nlu_dir(), settings.data_dir / "nlu-cache")
    from bot.faces.telegram.runner import run

    companions = []
    if settings.web_enabled:
        from bot.faces.web.server import start_web

        companions.append(start_web)
    return run(settings, webhook=args.webhook, companions=companions)


def cmd_emulator(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the emulator standalone."""
    from bot.faces.telegram.runner import serve_emulator

    asyncio.run(serve_emulator(args.host, args.port, args.token, not args.no_console))
    return 0


if __name__ == "__main__":
    sys.exit(main())
