"""`desabot backup` and `desabot restore` for the SQLite default (PostgreSQL: use pg_dump)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from bot.faces.cli.outfiles import OutputError, private_file


class BackupError(Exception):
    """Backup or restore cannot be done; the message says why."""


def sqlite_path(database_url: str) -> Path:
    """The file behind an sqlite:/// URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("backup/restore handle the SQLite file; for PostgreSQL use pg_dump "
                          "and pg_restore (see the README)")
    return Path(url.database)


def backup(database_url: str, target: Path, force: bool = False) -> int:
    """A consistent copy while the bot runs (SQLite's online backup); returns its size.

    The copy is private (0600) and appears under its name only once complete.
    """
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    protected = (source, source.with_name(source.name + "-wal"),
                 source.with_name(source.name + "-shm"))
    try:
        with private_file(target, force, protected) as temporary:
            _copy(source, temporary)
    except OutputError as exc:
        raise BackupError(str(exc)) from None
    return target.stat().st_size


def restore(database_url: str, source: Path) -> None:
    """Replace the database with a backup (stop the bot first).

    The backup is checked before anything is replaced: restoring an empty or foreign file
    would wipe every tip and subscription without a word.
    """
    target = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"there is no backup at {source}")
    _check_backup(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)


def _check_backup(source: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(read_only_uri(source), uri=True)) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (integrity check failed)")
            tables = {row[0] for row in check.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not an SQLite database ({exc})") from exc
    if "alembic_version" not in tables:
        raise BackupError(f"{source} is not a backup of this bot (it has no schema version); "
                          "nothing was changed")


def read_only_uri(path: Path) -> str:
    """An SQLite URI for `path`, read-only; `?`, `#` and `%` in the name are escaped.

    Pasted raw into `file:...?mode=ro`, a name with `?` or `#` names another file, so a crafted
    name once made restore check one file and copy another (an empty database).
    """
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def _copy(source: Path, target: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(source)) as src, \
                contextlib.closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"copying {source} to {target} failed: {exc}") from exc
