"""Campaign slots in each village's own time zone, with a grace period for missed runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.campaigns import Schedule, due_run, next_fire_after

FRIDAY_19 = Schedule(weekday=4, hour=19, minute=0, timezone="Asia/Jayapura")
CREATED = datetime(2026, 11, 1, tzinfo=UTC)
GRACE = timedelta(hours=1)


def test_next_run_is_friday_19_in_the_villages_zone() -> None:
    after = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # a Sunday
    fire = next_fire_after(FRIDAY_19, after)
    local = fire.astimezone(ZoneInfo("Asia/Jayapura"))
    assert (local.weekday(), local.hour, local.minute) == (4, 19, 0)
    assert fire.astimezone(UTC).hour == 10  # WIT is UTC+9


@pytest.mark.parametrize(("zone", "utc_hour"), [
    ("Asia/Jakarta", 12), ("Asia/Makassar", 11), ("Asia/Jayapura", 10)])
def test_the_same_slot_lands_at_different_utc_times(zone: str, utc_hour: int) -> None:
    fire = next_fire_after(Schedule(4, 19, 0, zone), datetime(2026, 12, 1, tzinfo=UTC))
    assert fire.astimezone(UTC).hour == utc_hour


def test_due_within_grace_and_once_only() -> None:
    slot = datetime(2026, 12, 4, 19, 0, tzinfo=ZoneInfo("Asia/Jayapura"))
    now = slot + timedelta(minutes=20)
    assert due_run(FRIDAY_19, CREATED, None, now, GRACE) == slot
    assert due_run(FRIDAY_19, CREATED, now, now + timedelta(minutes=1), GRACE) is None


def test_a_run_missed_beyond_grace_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    slot = datetime(2026, 12, 4, 19, 0, tzinfo=ZoneInfo("Asia/Jayapura"))
    assert due_run(FRIDAY_19, CREATED, None, slot + timedelta(hours=5), GRACE) is None
    assert "skipped" in caplog.text


def test_nothing_due_before_the_first_slot() -> None:
    created = datetime(2026, 12, 4, 19, 30, tzinfo=ZoneInfo("Asia/Jayapura"))
    assert due_run(FRIDAY_19, created, None, created + timedelta(minutes=5), GRACE) is None
