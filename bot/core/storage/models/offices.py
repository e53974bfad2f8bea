"""The programme's organisation.

Offices, the villages they serve, their officers, officials and linked groups, and the
invites that bring people in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.storage.models.base import Base, UtcDateTime, utcnow


class Office(Base):
    """A kantor imigrasi or BP3MI unit; every village belongs to one."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="imigrasi")
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str] = mapped_column(Text, default="")
    allow_custom_messages: Mapped[bool] = mapped_column(Boolean, default=False)
    bot_key: Mapped[str | None] = mapped_column(String(32))  # its bot; None: the default


class Village(Base):
    """A village (desa/kelurahan) with its official region code and time zone."""

    __tablename__ = "villages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    district: Mapped[str] = mapped_column(String(120), default="")
    regency: Mapped[str] = mapped_column(String(120), default="")
    province: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    bot_key: Mapped[str | None] = mapped_column(String(32), index=True)  # None: the default


class OfficeRegion(Base):
    """A kabupaten/kota an office covers: villages there are the office's, and so are their tips.

    `regency` is stored normalised ("kabupaten bintan", "kota batam"; see
    bot/domain/programme/coverage.py); one office per regency, so routing is never ambiguous.
    """

    __tablename__ = "office_regions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    regency: Mapped[str] = mapped_column(String(120), unique=True)


class Officer(Base):
    """A Telegram account registered as an officer of one office."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)


class Official(Base):
    """A village official (perangkat desa) who runs the programme for one village."""

    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Invite(Base):
    """A single-use, expiring deep-link token; only its hash is stored."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LinkedGroup(Base):
    """A village's Telegram group that receives lessons and quizzes."""

    __tablename__ = "linked_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    linked_by: Mapped[int] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OfficeEvent(Base):
    """The office's own audit log: invites, people joining, revocations, sign-ins and -outs.

    Tips and campaigns keep their own logs (tip_events, campaign_events); the People page
    shows the three together. `subject` names what the event is about (a role, an officer's
    name, a village), never a reporter or a message text.
    """

    __tablename__ = "office_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    actor: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TableVersion(Base):
    """A counter bumped by every change to a table that processes keep an index of in memory.

    Each lookup reads one row to know whether its in-memory index is still current, instead
    of reading the whole table (bot/core/storage/versions.py).
    """

    __tablename__ = "table_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
