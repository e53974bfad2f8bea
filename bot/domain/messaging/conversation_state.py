"""What a person's conversation is waiting for, shared by every bot process, with an expiry.

python-telegram-bot keeps `context.user_data` in the memory of one process. With several
identical processes behind a proxy, a person's next update may land in another one, and a
"waiting for your village name" state left in memory would never expire either (issue 13).
So the state is loaded at the start of each of the person's updates and saved at its end,
inside that person's lock (`bot.faces.telegram.ordering`), as JSON with an expiry: a state
untouched for `ttl` is forgotten, as if the person had pressed /batal.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.core.storage.models import ConversationState, utcnow
from bot.core.storage.session import Database

log = logging.getLogger(__name__)
TTL = timedelta(hours=1)


def load(db: Database, person_id: int, now: datetime | None = None) -> dict:
    """The person's state, or {} when there is none or it has expired."""
    with db.session() as session:
        row = session.get(ConversationState, person_id)
        if row is None or row.expires_at <= (now or utcnow()):
            return {}
        return json.loads(row.data)


def encode(data: dict) -> str | None:
    """The state as JSON; None when a value cannot be stored (logged by key, never by value)."""
    try:
        return json.dumps(data, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        log.warning("conversation state not saved: keys %s hold values that are not JSON",
                    sorted(map(str, data)))
        return None


def save(db: Database, person_id: int, encoded: str, ttl: timedelta = TTL,
         now: datetime | None = None) -> None:
    """Store the state (JSON from `encode`); an empty state deletes the row."""
    expires = (now or utcnow()) + ttl
    with db.session() as session:
        if encoded == "{}":
            session.execute(delete(ConversationState)
                            .where(ConversationState.person_id == person_id))
            return
        insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        statement = insert(ConversationState).values(person_id=person_id, data=encoded,
                                                     expires_at=expires)
        session.execute(statement.on_conflict_do_update(
            index_elements=[ConversationState.person_id],
            set_={"data": encoded, "expires_at": expires}))


def forget_expired(db: Database, now: datetime | None = None) -> int:
    """Delete expired states (housekeeping); returns how many."""
    with db.session() as session:
        result = session.execute(delete(ConversationState)
                                 .where(ConversationState.expires_at <= (now or utcnow())))
        return result.rowcount or 0
