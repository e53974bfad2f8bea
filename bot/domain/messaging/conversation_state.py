"""What a person's conversation is waiting for, shared by every bot process, with an expiry.

python-telegram-bot keeps `context.user_data` in the memory of one process. With several
identical processes behind a proxy, a person's next update may land in another one, and a
"waiting for your village name" state left in memory would never expire either (issue 13).
So the state is loaded at the start of each of the person's updates and saved at its end,
inside that person's lock (`bot.faces.telegram.ordering`), as JSON with an expiry: a state
untouched for `ttl` is forgotten, as if the person had pressed /batal.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Insert, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

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


def load_in(session: Session, person_ids: Iterable[int],
            now: datetime | None = None) -> dict[int, dict]:
    """The unexpired states of several people, read in the caller's transaction.

    One SELECT for a whole batch of updates (`UpdateClaims.open`); people without a state
    are missing from the result.
    """
    now = now or utcnow()
    rows = session.execute(select(ConversationState.person_id, ConversationState.data,
                                  ConversationState.expires_at)
                           .where(ConversationState.person_id.in_(sorted(set(person_ids)))))
    return {person: json.loads(data) for person, data, expires in rows if expires > now}


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


def save_many(db: Database, states: list[tuple[int, str]], ttl: timedelta = TTL,
              now: datetime | None = None) -> list[None]:
    """Store several people's states (person id, JSON from `encode`) in one transaction.

    A group commit of the saves at the end of many updates (`person_state.PersonState`): one
    DELETE for the emptied states and one multi-row upsert for the rest. A lost state costs
    a person one repeated question, and it expires within the hour anyway, so the commit does
    not wait for the disk (`bookkeeping_session`). A person twice in one batch: the last wins.
    """
    with db.bookkeeping_session() as session:
        save_in(session, db, states, ttl, now)
    return [None] * len(states)


def save_in(session: Session, db: Database, states: list[tuple[int, str]],
            ttl: timedelta = TTL, now: datetime | None = None) -> None:
    """`save_many` inside the caller's transaction (`UpdateClaims.close`)."""
    latest = dict(states)
    if not latest:
        return
    expires = (now or utcnow()) + ttl
    emptied = sorted(p for p, encoded in latest.items() if encoded == "{}")
    kept = [{"person_id": p, "data": e, "expires_at": expires}
            for p, e in sorted(latest.items()) if e != "{}"]
    if emptied:
        session.execute(delete(ConversationState)
                        .where(ConversationState.person_id.in_(emptied)))
    if kept:  # one cached statement for any batch size, sent as one multi-row upsert
        session.connection().execute(_upsert_statement(db.engine.dialect.name), kept)


@functools.cache
def _upsert_statement(dialect: str) -> Insert:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ConversationState)
    return statement.on_conflict_do_update(
        index_elements=[ConversationState.person_id],
        set_={"data": statement.excluded.data, "expires_at": statement.excluded.expires_at})


def forget_expired(db: Database, now: datetime | None = None) -> int:
    """Delete expired states (housekeeping); returns how many."""
    with db.session() as session:
        result = session.execute(delete(ConversationState)
                                 .where(ConversationState.expires_at <= (now or utcnow())))
        return result.rowcount or 0
