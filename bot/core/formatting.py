"""Dates, times and numbers as Indonesians read them, through Babel's `id` locale."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal

from bot.core.i18n import current_locale

ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
                      "Asia/Jayapura": "WIT"}


def format_datetime_local(moment: datetime, zone: str) -> str:
    """"Jumat, 4 Desember 2026 pukul 19.00 WIB", in the village's own time zone."""
    local = moment.astimezone(ZoneInfo(zone))
    text = format_datetime(local, "EEEE, d MMMM y 'pukul' HH.mm", locale=current_locale())
    return f"{text} {ZONE_ABBREVIATIONS.get(zone) or local.tzname()}"


def format_number(value: float) -> str:
    """1.234 and 1.234,5 (Indonesian uses the dot for thousands)."""
    return format_decimal(value, locale=current_locale())
