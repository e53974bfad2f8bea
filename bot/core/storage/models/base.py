"""What every model shares: constraint names Alembic can diff, and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    DateTime,
    MetaData,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no zones) and PostgreSQL alike.

    SQLite stores a datetime's wall-clock text and forgets its zone, so a 19.00 WITA stored
    as-is would read back as 19.00 UTC; converting to UTC on the way in prevents that.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Store UTC."""
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Read back aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Timestamps are stored in UTC and shown in the village's time zone."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class with constraint names Alembic can diff on SQLite and PostgreSQL alike."""

    metadata = MetaData(naming_convention=NAMING)
