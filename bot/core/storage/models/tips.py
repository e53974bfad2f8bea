"""Villagers' tips about suspicious offers.

The report, its media, its history, and the draft a villager is still writing.
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


class Tip(Base):
    """A villager's report of a suspicious offer or recruiter."""

    __tablename__ = "tips"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    reporter_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    status: Mapped[str] = mapped_column(String(20), default="new")
    outcome: Mapped[str | None] = mapped_column(String(30))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    story: Mapped[str] = mapped_column(Text, default="")
    offer_text: Mapped[str] = mapped_column(Text, default="")
    recruiter: Mapped[str] = mapped_column(Text, default="")
    destination: Mapped[str] = mapped_column(String(500), default="")
    at_risk: Mapped[str] = mapped_column(String(20), default="")
    timing: Mapped[str] = mapped_column(String(20), default="")
    risk: Mapped[str] = mapped_column(String(10), default="")
    risk_flags: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    announced_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    purged: Mapped[bool] = mapped_column(Boolean, default=False)


class TipMedia(Base):
    """A photo or document attached to a tip, kept as the Telegram file id to re-send."""

    __tablename__ = "tip_media"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tips.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    file_id: Mapped[str] = mapped_column(String(300))
    caption: Mapped[str] = mapped_column(Text, default="")
    # The bot that received the file (None: the default bot). A file id is valid only for
    # the bot it was sent to: another regional bot must download and upload it again.
    bot_key: Mapped[str | None] = mapped_column(String(32))


class TipEvent(Base):
    """The audit log: who did what to a tip, and when."""

    __tablename__ = "tip_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tip_id: Mapped[int] = mapped_column(ForeignKey("tips.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TipDraft(Base):
    """A report in progress, kept in the database so a restart or a pause loses nothing."""

    __tablename__ = "tip_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    step: Mapped[str] = mapped_column(String(20))
    data: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
