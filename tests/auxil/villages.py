"""Looking villages up in tests."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.storage.models import Village
from bot.core.storage.session import Database


def village_id(db: Database, code: str) -> int:
    """The id of the village with this code."""
    with db.session() as session:
        return session.scalar(select(Village.id).where(Village.code == code))
