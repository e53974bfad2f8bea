"""The daily limit and the one-use draft hold when one person's submits arrive at once.

Eight concurrent submits at four of five tips gave seven accepted on PostgreSQL; one draft
pressed "Kirim laporan" in four chats at once became four tips with four alerts.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from bot.core.storage.models import OutboxMessage, Tip, TipDraft
from bot.core.storage.session import Database
from bot.domain.people import roles
from bot.domain.tips.submission import TipError, TipInput, submit

REPORTER = 5550001
RACERS = 8


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    database = Database(db_url)
    roles.add_office(database, "tpi", "Kantor Imigrasi Tanjungpinang", default=True,
                     group_chat_id=-100777)
    yield database
    database.dispose()


def _race(db: Database, from_draft: bool) -> list[object]:
    """RACERS submits of one reporter released together; their tips or errors."""
    held = [db.engine.connect() for _ in range(RACERS)]  # open the pool's connections first,
    for conn in held:  # so the racers do not queue behind connection set-up
        conn.close()
    start = threading.Barrier(RACERS)
    results: list[object] = []

    def one(i: int) -> None:
        start.wait()
        try:
            results.append(submit(db, REPORTER, "Siti", TipInput(story=f"Calo ke-{i}"),
                                  limit=5, from_draft=from_draft))
        except TipError as exc:
            results.append(exc.reason)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_the_daily_limit_holds_under_concurrent_submits(db: Database) -> None:
    for i in range(4):
        submit(db, REPORTER, "Siti", TipInput(story=f"Laporan {i}"), limit=5)
    results = _race(db, from_draft=False)
    assert sorted(r for r in results if isinstance(r, str)) == ["limit"] * (RACERS - 1)
    with db.session() as session:
        assert session.scalar(select(func.count(Tip.id))) == 5


def test_one_draft_is_submitted_exactly_once(db: Database) -> None:
    with db.session() as session:
        session.add(TipDraft(telegram_id=REPORTER, step="confirm", data="{}"))
    results = _race(db, from_draft=True)
    assert sorted(r for r in results if isinstance(r, str)) == ["no_draft"] * (RACERS - 1)
    with db.session() as session:
        assert session.scalar(select(func.count(Tip.id))) == 1
        assert session.scalar(select(func.count(OutboxMessage.id))) == 1  # one alert
