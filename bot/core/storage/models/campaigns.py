"""Recruiters' campaigns across villages.

The offers' texts, contacts, checks and events an office sees together.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.storage.models.base import Base, UtcDateTime, utcnow


class OfferCampaign(Base):
    """One recruiter's advert seen across villages (issue 17); not the quiz `Campaign`."""

    __tablename__ = "offer_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    merged_into: Mapped[int | None] = mapped_column(Integer)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    verdict_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CampaignText(Base):
    """A text assigned to a campaign, kept without who sent it (only the village)."""

    __tablename__ = "campaign_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("offer_campaigns.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    risk: Mapped[str] = mapped_column(String(10), default="")
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer, default=0)
    contacts: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class CampaignContact(Base):
    """A contact identifier of a campaign; those of confirmed campaigns are the watchlist."""

    __tablename__ = "campaign_contacts"
    __table_args__ = (UniqueConstraint("campaign_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("offer_campaigns.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(200), index=True)


class CampaignCheck(Base):
    """That a chat checked a text of a campaign: only for the one follow-up; purgeable."""

    __tablename__ = "campaign_checks"
    __table_args__ = (UniqueConstraint("campaign_id", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("offer_campaigns.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CampaignEvent(Base):
    """The audit log of campaigns: alerts, officers' verdicts, warning lessons, merges."""

    __tablename__ = "campaign_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("offer_campaigns.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    actor: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
