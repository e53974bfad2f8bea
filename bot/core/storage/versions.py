"""Version counters of the tables that processes keep an in-memory index of.

A lookup over 100,000 villages cannot read every row each time, so each process keeps an index
(bot/core/name_index.py) and reads one counter per lookup to know whether the index is still
current. Every ORM change to a watched table bumps its counter in the same transaction, so
another process (the CLI importing villages while the bot runs) is seen at the next lookup;
bulk statements that bypass the ORM call `bump` themselves.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.storage.models import Agency, TableVersion, Village

WATCHED = {Village: "villages", Agency: "agencies"}


def bump(session: Session, name: str) -> None:
    """Mark table `name` as changed (committed with the session's transaction)."""
    session.execute(update(TableVersion).where(TableVersion.name == name)
                    .values(version=TableVersion.version + 1))


def current(session: Session, name: str) -> int:
    """The table's counter; 0 for a table never changed."""
    return session.scalar(select(TableVersion.version).where(TableVersion.name == name)) or 0


def bump_changed(session: Session, _context: object) -> None:
    """`after_flush` hook: bump the counter of every watched table the flush touched."""
    touched = {WATCHED[type(obj)] for obj in (*session.new, *session.dirty, *session.deleted)
               if type(obj) in WATCHED}
    for name in sorted(touched):
        bump(session, name)
