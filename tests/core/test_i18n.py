"""Interface strings: every one translated, none stale, dates and numbers in Indonesian."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core import i18n
from bot.core.formatting import format_datetime_local, format_number
from bot.core.paths import content_dir
from bot.faces.cli import catalogs as i18n_tools


def test_catalog_matches_the_code() -> None:
    assert i18n_tools.problems() == []


def test_users_read_indonesian() -> None:
    assert i18n._("Read more") == "Selengkapnya"
    assert i18n._("Choose a topic:") == "Pilih topik:"


def test_a_string_missing_from_the_catalog_is_reported(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(content_dir() / "id" / "LC_MESSAGES", tmp_path / "id" / "LC_MESSAGES")
    po = tmp_path / "id" / "LC_MESSAGES" / "desabot.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Selengkapnya"', 'msgstr ""'), encoding="utf-8")
    monkeypatch.setenv("DESABOT_CONTENT_DIR", str(tmp_path))
    assert any("empty or fuzzy" in p and "Read more" in p for p in i18n_tools.problems())


def test_a_stale_string_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(content_dir() / "id" / "LC_MESSAGES", tmp_path / "id" / "LC_MESSAGES")
    po = tmp_path / "id" / "LC_MESSAGES" / "desabot.po"
    with po.open("a", encoding="utf-8") as fh:
        fh.write('\nmsgid "A string nobody uses"\nmsgstr "Kalimat usang"\n')
    monkeypatch.setenv("DESABOT_CONTENT_DIR", str(tmp_path))
    assert any("stale" in p and "A string nobody uses" in p for p in i18n_tools.problems())


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Jakarta", "Jumat, 4 Desember 2026 pukul 19.00 WIB"),
    ("Asia/Makassar", "Jumat, 4 Desember 2026 pukul 19.00 WITA"),
    ("Asia/Jayapura", "Jumat, 4 Desember 2026 pukul 19.00 WIT"),
])
def test_dates_in_the_villages_time_zone(zone: str, expected: str) -> None:
    moment = datetime(2026, 12, 4, 19, 0, tzinfo=ZoneInfo(zone))
    assert format_datetime_local(moment, zone) == expected


def test_numbers_use_indonesian_separators() -> None:
    assert format_number(1234) == "1.234"
    assert format_number(5000) == "5.000"
