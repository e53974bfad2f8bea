"""Conversation state in the database: any process reads it, and it expires."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.storage.models import utcnow
from bot.core.storage.session import Database
from bot.domain.messaging import conversation_state as state


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    yield database
    database.dispose()


def test_a_saved_state_is_read_back_until_it_expires(db: Database) -> None:
    now = utcnow()
    encoded = state.encode({"awaiting": "village", "scheduling": [3, "pelajaran-1"]})
    state.save(db, 1001, encoded, timedelta(hours=1), now=now)
    assert state.load(db, 1001, now=now + timedelta(minutes=59)) == {
        "awaiting": "village", "scheduling": [3, "pelajaran-1"]}
    assert state.load(db, 1001, now=now + timedelta(hours=1)) == {}  # expired: forgotten
    assert state.forget_expired(db, now=now + timedelta(hours=2)) == 1
    assert state.load(db, 1001, now=now) == {}


def test_saving_again_replaces_and_an_empty_state_deletes(db: Database) -> None:
    state.save(db, 7, state.encode({"a": 1}))
    state.save(db, 7, state.encode({"b": "ü\u0000x"}))  # NUL and non-ASCII survive as JSON
    assert state.load(db, 7) == {"b": "ü\u0000x"}
    state.save(db, 7, state.encode({}))
    assert state.load(db, 7) == {}
    assert state.forget_expired(db, now=utcnow() + timedelta(days=1)) == 0


def test_a_value_that_is_not_json_is_not_saved_and_not_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    assert state.encode({"secret": object(), "name": "Siti"}) is None
    assert "not JSON" in caplog.text and "Siti" not in caplog.text


def test_many_states_are_saved_in_one_go(db: Database) -> None:
    """The group commit of several updates' saves: upserts, deletions, the last one wins."""
    state.save(db, 1, state.encode({"awaiting": "offer"}))
    state.save(db, 2, state.encode({"awaiting": "agency"}))
    state.save_many(db, [(1, "{}"), (2, state.encode({"awaiting": "village"})),
                         (3, state.encode({"a": 1})), (3, state.encode({"a": 2}))])
    assert state.load(db, 1) == {}
    assert state.load(db, 2) == {"awaiting": "village"}
    assert state.load(db, 3) == {"a": 2}
    with db.session() as session:
        assert state.load_in(session, [1, 2, 3, 4]) == {2: {"awaiting": "village"},
                                                        3: {"a": 2}}
