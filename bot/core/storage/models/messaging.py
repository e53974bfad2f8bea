"""What the bot sends and has already received.

The outbox, broadcasts and their deliveries, quiz campaigns, polls and answers, and the
updates already handled (so a redelivered update is not answered twice).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.storage.models.base import Base, UtcDateTime, utcnow


class OutboxMessage(Base):
    """A message to send, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(10), default="text")
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Broadcast(Base):
    """A lesson, quiz or message sent to a village's subscribers and groups."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    content: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    # Outcomes so far, counted as they happen (bot/domain/programme/broadcasts.py).
    sent_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    unknown_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(Integer)


class Delivery(Base):
    """One broadcast to one chat, stored before it is sent."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "chat_id"),
        Index("ix_deliveries_bot_key_status", "bot_key", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # by a process, to send
    bot_key: Mapped[str | None] = mapped_column(String(32))  # the bot that sends it; None: default
    error: Mapped[str] = mapped_column(Text, default="")


class Campaign(Base):
    """A recurring quiz for a village: weekday and time in the village's time zone."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    hour: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int] = mapped_column(Integer, default=0)
    questions: Mapped[int] = mapped_column(Integer, default=5)
    topic: Mapped[str | None] = mapped_column(String(60))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class QuizPoll(Base):
    """A quiz poll the bot sent: Telegram's poll id tells which question was answered."""

    __tablename__ = "quiz_polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[str] = mapped_column(String(100), unique=True)
    question_id: Mapped[str] = mapped_column(String(40))
    topic: Mapped[str] = mapped_column(String(60))
    correct_option: Mapped[int] = mapped_column(Integer)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class QuizAnswer(Base):
    """One person's answer to one quiz poll."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("poll_id", "telegram_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[str] = mapped_column(ForeignKey("quiz_polls.poll_id"), index=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    option: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"), index=True)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ProcessedUpdate(Base):
    """Update ids already handled: after a restart Telegram may deliver them again.

    Update ids are counted per bot, so the key is the bot's id and the update id: another
    bot (a new token from @BotFather, the console's emulator) on the same database starts
    its own count, and keying on update_id alone would skip all of its updates.
    """

    __tablename__ = "processed_updates"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # Set once handled: claimed but not answered means its process died meanwhile (0017).
    answered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=true())


class StarSpend(Base):
    """Paid broadcast messages a bot sent in one calendar month (0.1 Star each).

    One row per bot (the id before the token's colon: the Stars balance is the bot's) and
    month; several processes change it atomically (bot/domain/messaging/star_spend.py).
    """

    __tablename__ = "star_spend"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-12"
    messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
