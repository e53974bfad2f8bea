"""Fresh databases for tests: an SQLite file, or a PostgreSQL database cloned from a template."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.core.storage.migrate import upgrade

PG_ENV = "DESABOT_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    """The PostgreSQL URL given to the tests, if any."""
    return os.environ.get(PG_ENV) or None


class PostgresFactory:
    """Creates one migrated template database, then a clone of it per test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url).set(drivername="postgresql+psycopg")
        self.prefix = f"desabot_test_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        self.created: list[str] = []
        self._engine = create_engine(self.admin_url.set(database="postgres"),
                                     isolation_level="AUTOCOMMIT")
        self._execute(f'CREATE DATABASE "{self.template}"')
        self.created.append(self.template)
        upgrade(self.url(self.template))

    def url(self, name: str) -> str:
        """The URL of database `name` on the same server."""
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        """A new, migrated, empty database."""
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        """Remove one database made by `fresh`, as soon as its test is done.

        Dropping hundreds of databases at the end of the session took longer than the last
        test's timeout on a busy machine; one at a time, each test pays for its own.
        """
        name = make_url(url).database
        if name in self.created:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.created.remove(name)

    def drop_all(self) -> None:
        """Remove every database this factory made."""
        for name in reversed(self.created):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._engine.dispose()

    def _execute(self, sql: str) -> None:
        with self._engine.connect() as conn:
            conn.execute(text(sql))
