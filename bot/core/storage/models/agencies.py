"""The register of licensed placement agencies and its imports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.storage.models.base import Base, UtcDateTime, utcnow


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
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(300))
    total: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
