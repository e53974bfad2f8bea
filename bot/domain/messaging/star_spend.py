"""The Stars a bot has spent on paid broadcasts this month, kept in the database.

Several processes send with one bot, on one host or several, so the count is a row per bot
and month that each process changes atomically: it reserves a few paid messages before they
go (`reserve`, a compare-and-set that never passes the cap, whoever else reserves at the
same moment) and gives back those that Telegram did not bill (`give_back`: not sent, refused,
or not used at all). What stays counted is what left with the flag and succeeded, an upper
bound of Telegram's own bill (a flagged message Telegram found room for within the free 30 a
second costs nothing there), so the cap holds against the real bill.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.core.storage.models import StarSpend, utcnow
from bot.core.storage.session import Database

ATTEMPTS = 20  # compare-and-set rounds before giving up for now (others keep winning)


def reserve(db: Database, bot_id: int, month: str, wanted: int, cap: int) -> int:
    """Count up to `wanted` paid messages against the month's `cap`; returns how many."""
    if wanted <= 0 or cap <= 0:
        return 0
    with db.session() as session:
        _ensure_row(session, db, bot_id, month)
        for _ in range(ATTEMPTS):
            current = _messages(session, bot_id, month)
            granted = min(wanted, cap - current)
            if granted <= 0:
                return 0
            changed = session.execute(
                update(StarSpend)
                .where(StarSpend.bot_id == bot_id, StarSpend.month == month,
                       StarSpend.messages == current)
                .values(messages=current + granted, updated_at=utcnow())).rowcount
            if changed:
                return granted
    return 0


def give_back(db: Database, bot_id: int, month: str, count: int) -> None:
    """Paid messages reserved but not billed: no longer counted."""
    if count <= 0:
        return
    with db.session() as session:
        session.execute(
            update(StarSpend).where(StarSpend.bot_id == bot_id, StarSpend.month == month)
            .values(messages=StarSpend.messages - count, updated_at=utcnow()))


def spent(db: Database, bot_id: int, month: str) -> int:
    """Paid messages counted for the bot this month (Stars: `paid_broadcast.stars`)."""
    with db.session() as session:
        return _messages(session, bot_id, month)


def spent_by_bot(db: Database, month: str) -> dict[int, int]:
    """Paid messages counted this month, for every bot that paid (the dashboard)."""
    with db.session() as session:
        rows = session.execute(select(StarSpend.bot_id, StarSpend.messages)
                               .where(StarSpend.month == month)).all()
    return {bot_id: messages for bot_id, messages in rows}


def _messages(session: Session, bot_id: int, month: str) -> int:
    value = session.scalar(select(StarSpend.messages).where(StarSpend.bot_id == bot_id,
                                                            StarSpend.month == month))
    return int(value or 0)


def _ensure_row(session: Session, db: Database, bot_id: int, month: str) -> None:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(StarSpend)
                    .values(bot_id=bot_id, month=month, messages=0, updated_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["bot_id", "month"]))
