"""One engine per process and one session (unit of work) per update or command."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.core.storage import sizes
from bot.core.storage.models import Base
from bot.core.storage.versions import bump_changed

sizes.install(Base)  # one rule for column sizes on SQLite and PostgreSQL


class Database:
    """The engine and session factory, created in `post_init` and disposed at shutdown."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._factory, "after_flush", bump_changed)
        # SQLite has one writer at a time. Several worker threads writing at once would meet
        # in SQLite's busy handler, which sleeps (up to 100 ms a turn) and, under a campaign's
        # load, turns 1 ms transactions into seconds of waiting; a read that turns into a
        # write can even fail with "database is locked". One process-wide lock queues our own
        # transactions instead; other processes (the CLI) still meet the busy timeout.
        self._lock: contextlib.AbstractContextManager[object] = (
            threading.RLock() if self.engine.dialect.name == "sqlite"
            else contextlib.nullcontext())

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on an exception."""
        with self._lock, self._factory() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def bookkeeping_session(self) -> Iterator[Session]:
        """A transaction whose commit need not wait for the disk (PostgreSQL only).

        For records that are cheap to lose in a database crash (not a bot crash: the server
        still writes them within a fraction of a second), so every update does not wait for
        a WAL flush. Used for the processed-update claims (bot/domain/messaging/update_claims.py).
        """
        with self.session() as session:
            if self.engine.dialect.name == "postgresql":
                session.execute(text("SET LOCAL synchronous_commit = off"))
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and its data directory.

    `hide_parameters`: a database error's text (logged with its traceback) would otherwise
    carry the statement's values, among them reporters' names, ids and stories.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Enough connections for the bot's worker threads
        # (bot.faces.telegram.app.WORKER_THREADS), its background workers
        # and the scheduler, so no thread waits for a free connection.
        return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=10,
                             hide_parameters=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine
