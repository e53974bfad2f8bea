"""`desabot backup` and `desabot restore` for the SQLite default (PostgreSQL: use pg_dump)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """Backup or restore cannot be done; the message says why."""


def sqlite_path(database_url: str) -> Path:
    """The file behind an sqlite:/// URL."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("backup/restore handle the SQLite file; for PostgreSQL use pg_dump "
                          "and pg_restore (see the README)")
    return Path(url.database)


def backup(database_url: str, target: Path) -> int:
    """A consistent copy while the bot runs (SQLite's online backup); returns its size."""
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target.stat().st_size


def restore(database_url: str, source: Path) -> None:
    """Replace the database with a backup (stop the bot first)."""
    target = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"there is no backup at {source}")
    with sqlite3.connect(source) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is damaged (integrity check failed)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
