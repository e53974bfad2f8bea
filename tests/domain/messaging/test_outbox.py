"""The outbox's dedupe key: stored whole (or as a hash), and inserted once without a race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from bot.core.storage.models import OutboxMessage
from bot.core.storage.session import Database
from bot.domain.messaging.outbox import enqueue
from bot.domain.replies import Reply


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    yield database
    database.dispose()


def _count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(OutboxMessage.id))) or 0


def test_long_keys_with_one_start_are_two_messages_and_a_repeat_is_none(db: Database) -> None:
    """The first 120 characters were stored but the full key looked up: an integrity error."""
    start = "approval:" + "x" * 150
    with db.session() as session:
        assert enqueue(session, start + ":a", 1, Reply("satu"))
    with db.session() as session:
        assert enqueue(session, start + ":b", 2, Reply("dua"))
    with db.session() as session:
        assert not enqueue(session, start + ":a", 1, Reply("satu lagi"))
        assert enqueue(session, "short", 3, Reply("x"))
    with db.session() as session:
        assert not enqueue(session, "short", 3, Reply("x"))
    assert _count(db) == 3


def test_two_processes_queueing_one_key_at_once_queue_it_once(db_url: str) -> None:
    """A look-up then an insert: the second process failed on the unique key (PostgreSQL)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time; the race needs PostgreSQL")
    first, second = Database(db_url), Database(db_url)
    outcome: list[object] = []
    try:
        with first.session() as session:
            enqueue(session, "tip:1:alert:0:42", 42, Reply("pertama"))
            session.flush()

            def other_process() -> None:
                try:
                    with second.session() as other:
                        outcome.append(enqueue(other, "tip:1:alert:0:42", 42, Reply("kedua")))
                except Exception as exc:  # noqa: BLE001 - the test reports it
                    outcome.append(exc)

            worker = threading.Thread(target=other_process)
            worker.start()
            _wait_until_blocked(first)
        worker.join(30)
        assert outcome == [False]
        assert _count(first) == 1
    finally:
        first.dispose()
        second.dispose()


def _wait_until_blocked(db: Database) -> None:
    """Until another connection waits for a lock (it is inside its insert), or it finished."""
    with db.engine.connect() as probe:
        for _ in range(10_000):
            waiting = probe.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()")).scalar()
            if waiting:
                return
            probe.commit()
    raise AssertionError("the second insert never waited for the first")
