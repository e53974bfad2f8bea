"""Villagers: who they are, what they subscribed to, what they were in the middle of."""

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


class Person(Base):
    """Someone who wrote to the bot: a villager, an official or an officer."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    blocked_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    tips_blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    bot_key: Mapped[str | None] = mapped_column(String(32))  # the bot they last wrote to


class Subscription(Base):
    """A private chat that receives its village's lessons and quizzes."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ConversationState(Base):
    """What one person's conversation waits for (python-telegram-bot's `user_data`), as JSON.

    In the database rather than in a process, so any bot process can handle the person's next
    update, and with an expiry, so a question left unanswered does not catch a text days later.
    """

    __tablename__ = "conversation_states"

    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class UnansweredQuestion(Base):
    """A question the bot could not answer, normalised and without who asked it."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text, unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    last_asked: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    best_intent: Mapped[str | None] = mapped_column(String(64))
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
