"""One process of a deployment runs the work that must run once: the scheduler, the outbox.

Several identical bot processes share one PostgreSQL database. The first to take a
session-level advisory lock leads; the lock lives on a connection this process keeps open, so
when the process dies, PostgreSQL closes the connection and frees the lock, and another process
takes over at its next try. SQLite means one process: it always leads.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from bot.core.storage.session import Database

log = logging.getLogger(__name__)
LOCK_KEY = 0x64657361  # "desa": any constant the deployment's processes agree on


class Leadership:
    """Try to lead; keep leading while our connection lives."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._connection: Connection | None = None

    def try_lead(self) -> bool:
        """True when this process leads (now or already)."""
        if self.db.engine.dialect.name != "postgresql":
            return True
        if self._connection is not None:
            if self._alive():
                return True
            log.error("lost the connection holding the leader lock; trying again")
            self._drop()
        try:
            connection = self.db.engine.connect()
            led = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                          {"key": LOCK_KEY}).scalar())
            connection.commit()  # the session-level lock outlives the transaction
        except SQLAlchemyError as exc:
            log.error("could not try the leader lock: %s", exc.__class__.__name__)
            return False
        if led:
            self._connection = connection
        else:
            connection.close()
        return led

    def _alive(self) -> bool:
        assert self._connection is not None
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
        except SQLAlchemyError:
            return False
        return True

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
            except SQLAlchemyError:
                log.debug("the leader connection was already gone")
            self._connection = None

    def resign(self) -> None:
        """Free the lock (at shutdown), so another process leads at once."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                         {"key": LOCK_KEY})
                self._connection.commit()
                self._connection.close()
            except SQLAlchemyError:
                log.debug("the leader connection was already gone")
            self._connection = None
