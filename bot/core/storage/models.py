"""The SQLAlchemy 2 models: the bot's own data, never Telegram's cache of it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


class UnansweredQuestion(Base):
    """A question the bot could not answer, normalised and without who asked it."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text, unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    last_asked: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    best_intent: Mapped[str | None] = mapped_column(String(64))
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)


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


class TableVersion(Base):
    """A counter bumped by every change to a table that processes keep an index of in memory.

    Each lookup reads one row to know whether its in-memory index is still current, instead
    of reading the whole table (bot/core/storage/versions.py).
    """

    __tablename__ = "table_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


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


class Subscription(Base):
    """A private chat that receives its village's lessons and quizzes."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Official(Base):
    """A village official (perangkat desa) who runs the programme for one village."""

    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LinkedGroup(Base):
    """A village's Telegram group that receives lessons and quizzes."""

    __tablename__ = "linked_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    linked_by: Mapped[int] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


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
    __table_args__ = (UniqueConstraint("broadcast_id", "chat_id"),
                      Index("ix_deliveries_bot_key_status", "bot_key", "status"))

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


class ConversationState(Base):
    """What one person's conversation waits for (python-telegram-bot's `user_data`), as JSON.

    In the database rather than in a process, so any bot process can handle the person's next
    update, and with an expiry, so a question left unanswered does not catch a text days later.
    """

    __tablename__ = "conversation_states"

    person_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class WebLogin(Base):
    """A single-use sign-in link for the web dashboard, asked for with /dasbor; hash only."""

    __tablename__ = "web_logins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebSession(Base):
    """A signed-in browser: the cookie's hash, its CSRF token, and when it ends."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
