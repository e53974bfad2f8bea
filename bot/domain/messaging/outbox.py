"""The persistent outbox: messages are stored with the change that causes them, sent later.

If the process dies after a tip is stored and before officers are alerted, the alert is still
in the outbox and goes out after the restart; the unique dedupe key stops a second copy from
ever being queued.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.core.storage.models import OutboxMessage, utcnow
from bot.core.storage.session import Database
from bot.domain.replies import Reply

MAX_ATTEMPTS = 8
KEY_SIZE = OutboxMessage.__table__.c.dedupe_key.type.length or 120


@dataclass(frozen=True)
class Outgoing:
    """One due message, detached from the session."""

    id: int
    chat_id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


def enqueue(session: Session, key: str, chat_id: int, reply: Reply, kind: str = "text",
            file_id: str | None = None, protect: bool = False,
            file_bot: str | None = None) -> bool:
    """Queue a message unless one with the same key was queued before; True when queued.

    One `INSERT ... ON CONFLICT DO NOTHING` (SQLite and PostgreSQL alike): a look-up before
    the insert let two processes both queue, or one fail on the unique key. `protect` sends
    it with protect_content: officers' alerts and relayed messages carry a villager's report
    and cannot be forwarded or saved from the chat. `file_bot`: the key of the bot that
    received `file_id` (None: the default bot); file ids are valid for that bot only.
    """
    payload = {"text": reply.text,
               "buttons": [[[b.label, b.data] for b in row] for row in reply.buttons]}
    if file_id:
        payload["file_id"] = file_id
        payload["file_bot"] = file_bot
    if protect:
        payload["protect"] = True
    row = {"dedupe_key": stored_key(key), "chat_id": chat_id, "kind": kind,
           "payload": json.dumps(payload, ensure_ascii=False), "status": "pending",
           "attempts": 0, "next_attempt_at": utcnow(), "last_error": "",
           "created_at": utcnow()}
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    table = OutboxMessage.__table__
    result = session.execute(insert(table).values(**row)
                             .on_conflict_do_nothing(index_elements=["dedupe_key"])
                             .returning(table.c.id))
    return result.first() is not None


def stored_key(key: str) -> str:
    """The key as stored: itself when it fits the column, else its start and a SHA-256.

    Storing the first 120 characters made two long keys with one start collide. The start is
    kept so that a purge can still find a tip's messages by their `tip:<id>:` prefix.
    """
    if len(key) <= KEY_SIZE:
        return key
    return f"{key[:KEY_SIZE - 65]}#{hashlib.sha256(key.encode()).hexdigest()}"


def due(db: Database, limit: int = 50, now: datetime | None = None) -> list[Outgoing]:
    """Pending messages whose time has come, oldest first."""
    now = now or utcnow()
    with db.session() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == "pending",
                                        OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id).limit(limit))
        return [Outgoing(r.id, r.chat_id, r.kind, json.loads(r.payload), r.attempts)
                for r in rows]


def mark_sent(db: Database, message_id: int) -> None:
    """The message reached Telegram."""
    with db.session() as session:
        row = session.get(OutboxMessage, message_id)
        row.status, row.sent_at = "sent", utcnow()


def mark_retry(db: Database, message_id: int, error: str, delay: float) -> None:
    """Try again after `delay` seconds (a 429's retry_after, or a backoff); give up at last."""
    with db.session() as session:
        row = session.get(OutboxMessage, message_id)
        row.attempts += 1
        row.last_error = error[:500]
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"


def mark_blocked(db: Database, message_id: int, error: str, status: str = "blocked") -> None:
    """The user blocked the bot (403), or Telegram refused the message: never retried."""
    with db.session() as session:
        row = session.get(OutboxMessage, message_id)
        row.status, row.last_error = status, error[:500]


def backoff(attempts: int) -> float:
    """Seconds before the next try: 1, 2, 4... capped at five minutes."""
    return float(min(2 ** attempts, 300))
