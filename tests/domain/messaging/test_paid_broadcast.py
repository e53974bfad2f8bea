"""Paid broadcasts: the month's cap in Stars, and the counter every process shares."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.storage.session import Database
from bot.domain.messaging import star_spend
from bot.domain.messaging.paid_broadcast import (
    PaidPolicy,
    is_balance_short,
    month_of,
    stars,
)

BOT = 7001
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


def test_off_by_default_and_a_cap_pays_for_ten_messages_a_star() -> None:
    assert PaidPolicy().cap_messages == 0
    assert PaidPolicy(enabled=False, monthly_stars=500).cap_messages == 0
    assert PaidPolicy(enabled=True, monthly_stars=500).cap_messages == 5000
    assert PaidPolicy(enabled=True, monthly_stars=12.35).cap_messages == 123  # never past it
    assert PaidPolicy(enabled=True, monthly_stars=2).room(15) == 5
    assert PaidPolicy(enabled=True, monthly_stars=2).room(25) == 0
    assert stars(1234) == 123.4


def test_the_month_is_the_offices_calendar_month() -> None:
    # 31 December 20.00 UTC is already 1 January 03.00 in Jakarta: January's budget.
    assert month_of(datetime(2026, 12, 31, 20, 0, tzinfo=UTC), JAKARTA) == "2027-01"
    assert month_of(datetime(2026, 12, 31, 16, 0, tzinfo=UTC), JAKARTA) == "2026-12"


def test_a_short_balance_is_told_apart_from_other_refusals() -> None:
    assert is_balance_short(400, "Bad Request: BALANCE_TOO_LOW")
    assert not is_balance_short(400, "Bad Request: chat not found")
    assert not is_balance_short(403, "Forbidden: bot was blocked by the user")


def test_reservations_never_pass_the_cap_and_unused_ones_come_back(db: Database) -> None:
    assert star_spend.reserve(db, BOT, "2026-12", 100, cap=250) == 100
    assert star_spend.reserve(db, BOT, "2026-12", 100, cap=250) == 100
    assert star_spend.reserve(db, BOT, "2026-12", 100, cap=250) == 50  # what is left
    assert star_spend.reserve(db, BOT, "2026-12", 100, cap=250) == 0
    star_spend.give_back(db, BOT, "2026-12", 30)  # not billed: refused or never sent
    assert star_spend.spent(db, BOT, "2026-12") == 220
    assert star_spend.reserve(db, BOT, "2027-01", 100, cap=250) == 100  # a new month
    assert star_spend.reserve(db, BOT + 1, "2026-12", 10, cap=250) == 10  # another bot
    assert star_spend.spent_by_bot(db, "2026-12") == {BOT: 220, BOT + 1: 10}


def test_processes_reserving_at_once_share_one_cap(db: Database) -> None:
    """Eight senders, each as its own connection, race for 1,000 slots of a 555 cap."""
    engines = [Database(db.engine.url.render_as_string(hide_password=False)) for _ in range(8)]

    def grab(database: Database) -> int:
        return sum(star_spend.reserve(database, BOT, "2026-12", 25, cap=555) for _ in range(5))

    try:
        with ThreadPoolExecutor(8) as pool:
            granted = sum(pool.map(grab, engines))
    finally:
        for engine in engines:
            engine.dispose()
    assert granted == star_spend.spent(db, BOT, "2026-12")
    assert 500 <= granted <= 555
