"""`desabot doctor`: check the setup and say in plain words what is wrong."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bot.core.config import Settings
from bot.core.storage.session import Database


@dataclass(frozen=True)
class Finding:
    """One check's verdict."""

    name: str
    ok: bool
    message: str


def run_checks(settings: Settings) -> list[Finding]:
    """Every check, in order; a failing check does not stop the others."""
    checks: list[tuple[str, Callable[[Settings], str]]] = [
        ("configuration", _configuration),
        ("database", _database),
        ("migrations", _migrations),
        ("offices", _offices),
        ("demo data", _demo),
        ("content", _content),
        ("nlu", _nlu),
        ("telegram", _telegram),
    ]
    findings = []
    for name, check in checks:
        try:
            findings.append(Finding(name, True, check(settings)))
        except Exception as exc:  # noqa: BLE001 - doctor reports every failure in words
            findings.append(Finding(name, False, str(exc) or type(exc).__name__))
    return findings


def _configuration(settings: Settings) -> str:
    mode = "Telegram" if settings.token else "local console (no TELEGRAM_BOT_TOKEN)"
    return f"settings valid; mode: {mode}; NLU backend: {settings.nlu_backend}"


def _database(settings: Settings) -> str:
    from sqlalchemy import text

    from bot.core.storage.session import make_engine

    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise RuntimeError(f"cannot connect to DATABASE_URL ({engine.url.render_as_string()})"
                           f": {exc.__class__.__name__}: {str(exc).splitlines()[0]}") from exc
    finally:
        engine.dispose()
    return f"connected to {engine.url.render_as_string()}"


def _migrations(settings: Settings) -> str:
    from sqlalchemy.exc import OperationalError

    from bot.core.storage.migrate import current_revision, head_revision
    from bot.core.storage.session import make_engine

    engine = make_engine(settings.database_url)
    try:
        current, head = current_revision(engine), head_revision(settings.database_url)
    except OperationalError as exc:
        raise RuntimeError("not checked: the database cannot be reached (see above)") from exc
    finally:
        engine.dispose()
    if current is None:
        raise RuntimeError(f"the database is empty (no tables yet), the code needs schema {head}: "
                           "run `desabot db upgrade` (desabot run does it at start-up)")
    if current != head:
        raise RuntimeError(f"the database schema is at {current}, the code needs {head}: "
                           "run `desabot db upgrade` (desabot run does it at start-up)")
    return f"schema at {head}"


@contextmanager
def _readable(settings: Settings) -> Iterator[Database]:
    """The database, or one line saying the check needs it (its own check says why)."""
    from sqlalchemy.exc import DBAPIError

    db = Database(settings.database_url)
    try:
        yield db
    except DBAPIError as exc:
        raise RuntimeError("not checked: the database cannot be read (see database and "
                           "migrations above)") from exc
    finally:
        db.dispose()


def _offices(settings: Settings) -> str:
    """Tips nobody is alerted to: an office on a tip's route with no officer and no group."""
    from bot.domain.tips.coverage import office_count, uncovered_offices

    with _readable(settings) as db:
        if not office_count(db):
            raise RuntimeError("no office yet, so a villager's report cannot be stored: "
                               "`desabot offices add --code C --name N --default`")
        gaps = uncovered_offices(db)
    if gaps:
        raise RuntimeError("; ".join(
            f"office {g.code} ({g.name}) receives tips but has no officer and no group"
            + (f", {g.open_tips} open tip(s) nobody was alerted to" if g.open_tips else "")
            + f": `desabot officers invite --office {g.code}` and open the link, or "
              f"`desabot offices add --code {g.code} --name ... --group CHAT_ID`"
            for g in gaps))
    return "every office that receives tips has an officer or a group"


def _demo(settings: Settings) -> str:
    """The console's demo office must not reach a real deployment unnoticed."""
    from bot.domain.people.demo import has_demo

    with _readable(settings) as db:
        demo = has_demo(db)
    if demo and settings.token:
        raise RuntimeError("this database holds the console's demo office, villages and "
                           "roles, and TELEGRAM_BOT_TOKEN is set: real villagers' tips would "
                           "go to the demo officer. Use a fresh DATABASE_URL for the real bot")
    if demo:
        return "the console's demo data is here (fine for the console; never for the real bot)"
    return "no demo data"


def _content(settings: Settings) -> str:
    from bot.domain.content.check import check_all

    return "; ".join(check_all()[:-1])


def _nlu(settings: Settings) -> str:
    from bot.core.paths import nlu_dir
    from nlu.rasa_client import RasaClient, RasaUnavailable
    from nlu.service import Understanding

    understanding = Understanding.create(nlu_dir(), settings.data_dir / "nlu-cache", "embedded")
    result = understanding.embedded.parse("gimana cara bikin paspor")
    message = f"embedded engine answers ({result['intent']['name']})"
    if settings.nlu_backend == "rasa":
        client = RasaClient(settings.rasa_url, max(settings.rasa_timeout, 2.0))
        try:
            client.parse("halo")
        except RasaUnavailable as exc:
            raise RuntimeError(f"Rasa at {settings.rasa_url} does not answer ({exc}); the bot "
                               "would fall back to the embedded engine") from exc
        finally:
            client.close()
        message += f"; Rasa at {settings.rasa_url} answers"
    return message


def _telegram(settings: Settings) -> str:
    """Ask Telegram about every bot of the deployment, not only the default one.

    A regional token Telegram refuses must show here, not as a silent region whose villagers
    never hear their lessons.
    """
    if not settings.token:
        return "skipped: no TELEGRAM_BOT_TOKEN (the console does not need Telegram)"
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError

    async def get_me(token: str) -> str:
        async with Bot(token, base_url=f"{settings.api_base_url}/bot") as bot:
            return (await bot.get_me()).username

    async def everyone() -> tuple[list[str], list[str]]:
        names, refused = [], []
        for bot in settings.bots:
            try:
                names.append(f"{bot.key} @{await get_me(bot.token)}")
            except InvalidToken:
                refused.append(bot.key)
        return names, refused

    try:
        names, refused = asyncio.run(everyone())
    except NetworkError as exc:
        raise RuntimeError(f"cannot reach the Bot API at {settings.api_base_url}: {exc}") from exc
    if refused:
        where = "TELEGRAM_BOT_TOKEN" if refused == [settings.bot_key] else "BOT_TOKENS"
        raise RuntimeError(f"Telegram refused the token of {', '.join(refused)}: check {where}")
    if len(names) == 1:
        return f"connected to {settings.api_base_url} as @{names[0].split(' @', 1)[1]}"
    return f"connected to {settings.api_base_url}: {len(names)} bots ({', '.join(names)})"
