"""Dates and times as officials type them, read in the village's own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.programme.planning import CampaignSpec, parse_campaign
from bot.domain.programme.when import parse_when

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=WITA)  # a Tuesday morning in Lombok


@pytest.mark.parametrize(("typed", "expected"), [
    ("besok jam 7 malam", (2026, 12, 2, 19, 0)),
    ("Besok pukul 19.00", (2026, 12, 2, 19, 0)),
    ("Jumat depan 19.00", (2026, 12, 4, 19, 0)),
    ("jumat depan jam 19:00", (2026, 12, 4, 19, 0)),
    ("lusa jam 8 pagi", (2026, 12, 3, 8, 0)),
    ("nanti malam jam 8", (2026, 12, 1, 20, 0)),
    ("hari ini jam 3 sore", (2026, 12, 1, 15, 0)),
    ("kamis jam 1 siang", (2026, 12, 3, 13, 0)),
    ("4-12-2026 19.00", (2026, 12, 4, 19, 0)),
    ("4 Desember jam 7 malam", (2026, 12, 4, 19, 0)),
    ("tgl 10 desember 2026 pukul 20.00", (2026, 12, 10, 20, 0)),
])
def test_natural_dates_in_the_villages_time(typed: str, expected: tuple) -> None:
    assert parse_when(typed, "Asia/Makassar", NOW) == datetime(*expected, tzinfo=WITA)


def test_the_same_words_mean_the_villages_own_clock() -> None:
    """19.00 in Lombok (WITA) is 18.00 in Jakarta (WIB): one hour apart in UTC."""
    wita = parse_when("besok jam 7 malam", "Asia/Makassar", NOW)
    wib = parse_when("besok jam 7 malam", "Asia/Jakarta", NOW)
    assert (wib - wita).total_seconds() == 3600


@pytest.mark.parametrize("typed", ["besok", "halo pak", "jam 25", "jumat 19.00 terus apa",
                                   "31-02-2026 19.00", ""])
def test_text_without_a_clear_moment_is_not_guessed(typed: str) -> None:
    assert parse_when(typed, "Asia/Makassar", NOW) is None


@pytest.mark.parametrize(("args", "expected"), [
    ("jumat 19.00 2", CampaignSpec(4, 19, 0, 2, None)),
    ("tiap Jumat jam 7 malam", CampaignSpec(4, 19, 0, 5, None)),
    ("setiap sabtu pukul 8 pagi 3 tanda-penipuan", CampaignSpec(5, 8, 0, 3, "tanda-penipuan")),
    ("tiap Jumat jam 7", CampaignSpec(4, 7, 0, 5, None)),  # the 7 is the hour, not a count
])
def test_weekly_campaigns_in_words(args: str, expected: CampaignSpec) -> None:
    assert parse_campaign(args.split(), {"tanda-penipuan"}) == expected


@pytest.mark.parametrize("args", ["jumat", "19.00", "jumat 19.00 halo", "jumat 19.00 11",
                                  "jumat 25.00"])
def test_campaigns_that_do_not_parse(args: str) -> None:
    assert parse_campaign(args.split(), {"tanda-penipuan"}) is None
