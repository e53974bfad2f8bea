"""The SQLAlchemy 2 models: the bot's own data, never Telegram's cache of it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timestamps are stored in UTC and shown in the village's time zone."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class with constraint names Alembic can diff on SQLite and PostgreSQL alike."""

    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    """Someone who wrote to the bot: a villager, an official or an officer."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    blocked_bot: Mapped[bool] = mapped_column(Boolean, default=False)


class UnansweredQuestion(Base):
    """A question the bot could not answer, normalised and without who asked it."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text, unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    last_asked: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    best_intent: Mapped[str | None] = mapped_column(String(64))


class Agency(Base):
    """A placement company (P3MI) from the official list officers import."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    match_name: Mapped[str] = mapped_column(String(200), index=True)
    licence_number: Mapped[str] = mapped_column(String(100), unique=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    province: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))


class AgencyImport(Base):
    """When the register was last imported, so answers can say how fresh it is."""

    __tablename__ = "agency_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(String(300))
    total: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
