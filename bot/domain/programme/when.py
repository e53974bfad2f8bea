"""Dates and times as officials type them: "besok jam 7 malam", "Jumat depan 19.00".

Only "4-12-2026 19.00" was understood. Indonesians name the time with "jam"/"pukul" and a
part of the day ("7 malam" is 19.00) and the day relative to today ("besok", "lusa",
"Jumat depan"). The time and those words are read here; any other date ("4 Desember",
"4/12") goes to `dateparser`. The result is always in the village's time zone, and the
caller confirms it back in words, so a misreading is seen before anything is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
        "minggu": 6, "ahad": 6}
RELATIVE = {"hari ini": 0, "nanti": 0, "besok": 1, "besuk": 1, "lusa": 2}
PERIODS = ("pagi", "siang", "sore", "malam")
CLOCK_RE = re.compile(r"(?<![\d/-])(\d{1,2})[.:](\d{2})(?![\d/-])")
HOUR_RE = re.compile(r"\b(?:jam|pukul|pkl\.?|pk\.?)\s*(\d{1,2})(?:[.:](\d{2}))?\b")
BARE_HOUR_RE = re.compile(r"\b(\d{1,2})\s+(?=(?:pagi|siang|sore|malam)\b)")
PERIOD_RE = re.compile(r"\b(pagi|siang|sore|malam)\b")
FILLER_RE = re.compile(r"\b(tanggal|tgl|hari|pada|ini|jam|pukul|wib|wita|wit)\b\.?")


@dataclass(frozen=True)
class ClockTime:
    """A time of day read from text, and what is left of the text around it."""

    hour: int
    minute: int
    rest: str


def read_time(text: str) -> ClockTime | None:
    """"jam 7 malam" → 19.00, "19.00" → 19.00, "pukul 8 pagi" → 08.00; None without a time."""
    low = " ".join(text.lower().split())
    match = CLOCK_RE.search(low) or HOUR_RE.search(low) or BARE_HOUR_RE.search(low)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    rest = low[:match.start()] + " " + low[match.end():]
    period = PERIOD_RE.search(rest)
    if period:  # "7 malam", "malam ini jam 8": the part of the day, then the day is "ini"
        hour = _with_period(hour, period.group(1))
        rest = rest[:period.start()] + " " + rest[period.end():]
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return ClockTime(hour, minute, " ".join(rest.split()))


def _with_period(hour: int, period: str) -> int:
    """"7 malam" is 19, "3 sore" 15, "1 siang" 13, "12 malam" midnight; 24-hour stays."""
    if hour > 12:
        return hour
    if period == "malam":
        return 0 if hour == 12 else hour + 12 if hour >= 6 else hour
    if period == "sore":
        return hour + 12 if hour < 12 else hour
    if period == "siang":
        return hour + 12 if hour < 6 else hour
    return 0 if hour == 12 else hour  # pagi


def read_weekday(text: str) -> int | None:
    """"tiap Jumat", "setiap jumat", "jumat" → 4; None when no day is named."""
    for word in text.lower().replace(",", " ").split():
        if word in DAYS:
            return DAYS[word]
    return None


def parse_when(text: str, zone: str, now: datetime | None = None) -> datetime | None:
    """The moment `text` names, in the village's time zone; None when it names none."""
    tz = ZoneInfo(zone)
    today = (now or datetime.now(tz)).astimezone(tz)
    clock = read_time(text)
    if clock is None:
        return None
    day = _read_day(clock.rest, today.date())
    if day is None:
        return None
    try:
        return datetime(day.year, day.month, day.day, clock.hour, clock.minute, tzinfo=tz)
    except ValueError:
        return None


def _read_day(rest: str, today: date) -> date | None:
    words = " ".join(FILLER_RE.sub(" ", rest).split())
    for phrase, days in RELATIVE.items():
        if re.search(rf"\b{phrase}\b", rest):
            return today + timedelta(days=days)
    if not words:
        return today
    weekday = read_weekday(words)
    if weekday is not None and len(words.split()) <= 2 and \
            set(words.split()) <= set(DAYS) | {"depan", "besok", "mendatang"}:
        ahead = (weekday - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    return _other_date(words, today)


def _other_date(words: str, today: date) -> date | None:
    """"4 Desember", "4-12-2026", "4/12": dateparser, day before month, never in the past."""
    import dateparser

    base = datetime(today.year, today.month, today.day)
    parsed = dateparser.parse(words, languages=["id"], settings={
        "DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future", "RELATIVE_BASE": base,
        "REQUIRE_PARTS": ["day", "month"]})
    return parsed.date() if parsed else None
