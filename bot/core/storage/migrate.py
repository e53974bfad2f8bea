"""Alembic, driven from code so `desabot db upgrade` and start-up need no alembic.ini.

Alembic (with Mako and Pygments, which it imports) stays in a process's memory once imported:
about 13-15 MiB of the ~145 MiB the bot holds at rest (issue 18's floor is 150 MB). So the
serving process never imports it: `ensure_current` compares the database's `alembic_version`
with the newest revision read from the migration files' names and headers, and only when they
differ runs the upgrade in a short-lived child process. The commands (`desabot db upgrade`,
tests) call `upgrade` in-process, as before.
"""

from __future__ import annotations

import ast
import logging
import os
import re
import subprocess
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, make_url, text

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
URL_ENV = "DESABOT_MIGRATE_URL"  # the child's database URL: not in argv, where `ps` shows it
_HEADER = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M)
_CHILD = ("import os; from bot.core.storage.migrate import URL_ENV, upgrade; "
          "upgrade(os.environ[URL_ENV])")


def _migrations() -> Traversable:
    return resources.files("bot.core.storage") / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_migrations()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (imports Alembic into this process)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(url: str) -> str | None:
    """The newest revision the code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def newest_revisions() -> set[str]:
    """The head revisions, read from the `revision =` / `down_revision =` lines of the files.

    A header this cheap parse cannot read gives an empty set, which never matches a database,
    so `ensure_current` then lets Alembic decide.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for entry in (_migrations() / "versions").iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        found = dict((name, value) for name, value in _HEADER.findall(entry.read_text("utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            parent = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return set()
        if not isinstance(revision, str):
            return set()
        revisions.add(revision)
        parents.update([parent] if isinstance(parent, str) else parent or ())
    return revisions - parents


def stored_revisions(url: str) -> set[str]:
    """The revisions in the database's `alembic_version` table (empty for a new database)."""
    from bot.core.storage.session import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return set()
            return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def ensure_current(url: str) -> bool:
    """Bring the schema to head without importing Alembic here; True when an upgrade ran.

    The upgrade runs in a child process (an in-memory SQLite database, which a child cannot
    see, in this one). A child that fails is followed by the upgrade in this process, so its
    error reaches the person as it always did (a one-line database error, not a child's exit).
    """
    newest = newest_revisions()
    stored = stored_revisions(url)
    if newest and stored == newest:
        return False
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        upgrade(url)
        return True
    done = subprocess.run([sys.executable, "-c", _CHILD], env=_child_env(url),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log.warning("the schema upgrade in a child process failed (exit %s); upgrading here",
                    done.returncode)
        upgrade(url)
    log.info("database schema upgraded from %s to %s", sorted(stored) or "empty",
             sorted(newest) or "head")
    return True


def _child_env(url: str) -> dict[str, str]:
    """This environment, the URL, and the directory this `bot` package was imported from."""
    root = str(Path(__file__).resolve().parents[3])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, URL_ENV: url, "PYTHONPATH": path}
