"""Each update is handled at most once, even when Telegram delivers it again after a restart."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.db.models import ProcessedUpdate, utcnow
from bot.db.session import Database

KEEP_FOR = timedelta(days=2)  # Telegram keeps unconfirmed updates for 24 hours


def first_time(db: Database, update_id: int) -> bool:
    """Claim an update id; False when it was claimed before (a redelivery)."""
    try:
        with db.session() as session:
            session.add(ProcessedUpdate(update_id=update_id))
    except IntegrityError:
        return False
    return True


def forget_old(db: Database) -> int:
    """Drop ids older than Telegram could ever redeliver."""
    with db.session() as session:
        return session.execute(delete(ProcessedUpdate).where(
            ProcessedUpdate.processed_at < utcnow() - KEEP_FOR)).rowcount or 0
