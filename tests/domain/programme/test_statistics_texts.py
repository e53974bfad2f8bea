"""/statistik as an official reads it: counts that add up, titles, no '0%' without answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.storage.session import Database
from bot.domain.content.sources import Source
from bot.domain.people import roles
from bot.domain.programme import membership
from bot.domain.programme.charts import stats_chart, week_label
from bot.domain.programme.library import Question
from bot.domain.programme.quiz_results import record_answer, remember_poll, village_stats
from bot.domain.programme.texts import stats_summary
from tests.auxil.villages import village_id

SOURCE = Source("KP2MI", "Contoh", "https://kp2mi.go.id", "2025-01-01")
TITLES = {"tanda-penipuan": "Tanda tawaran kerja palsu", "paspor": "Paspor"}


@pytest.fixture
def db(villages_db: Database) -> Database:
    return villages_db



def test_a_village_without_answers_says_so_instead_of_zero_percent(db: Database) -> None:
    stats = village_stats(db, village_id(db, "52.01.01.2001"))
    text = "\n".join(stats_summary(stats, TITLES))
    assert "belum ada jawaban" in text and "0%" not in text


def test_counts_add_up_when_group_members_answer_too(db: Database) -> None:
    """Three people answered in the group, one of them subscribed: "3 of 1" no more."""
    village = village_id(db, "52.01.01.2001")
    membership.subscribe(db, 1, village)
    question = Question("q1", "tanda-penipuan", "Apa?", ("A", "B"), 1, "", SOURCE)
    remember_poll(db, "poll-1", question, -100123, village)
    for person, option in ((1, 1), (2, 1), (3, 0)):
        record_answer(db, "poll-1", person, [option])
    text = "\n".join(stats_summary(village_stats(db, village), TITLES))
    assert "Pelanggan lewat obrolan pribadi: 1 orang" in text
    assert "Grup desa terhubung: belum ada" in text and "/hubungkan" in text
    assert "Ikut kuis: 3 orang (1 pelanggan, 2 lainnya" in text
    assert "Nilai rata-rata: 67% dari 3 jawaban" in text
    assert "Tanda tawaran kerja palsu (67%)" in text and "tanda-penipuan" not in text


def test_weeks_are_dated_in_indonesian() -> None:
    assert week_label(date(2026, 11, 30)) == "30 Nov"
    assert week_label(date(2026, 8, 17)) == "17 Agu"


def test_the_chart_has_a_row_for_every_topic(db: Database, tmp_path: Path) -> None:
    """A topic at 0% (or without answers) kept no bar; now every topic has its row."""
    village = village_id(db, "52.01.01.2001")
    question = Question("q1", "tanda-penipuan", "Apa?", ("A", "B"), 1, "", SOURCE)
    remember_poll(db, "poll-1", question, -100123, village)
    record_answer(db, "poll-1", 1, [0])  # wrong: 0% for this topic
    stats = village_stats(db, village)
    png = stats_chart(stats, "Sukamaju", {"trend": "Nilai per minggu",
                                          "topics": "Nilai per topik",
                                          "none": "belum ada jawaban"}, TITLES)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    (tmp_path / "chart.png").write_bytes(png)
    assert stats.topics == {"tanda-penipuan": (0.0, 1)}


def test_a_linked_group_is_counted_beside_the_private_subscribers(db: Database) -> None:
    """"Pelanggan: 0" for a village whose lessons reach its whole group read as nobody."""
    village = village_id(db, "52.01.01.2001")
    official = 4242
    token = roles.create_invite(db, "official", village_code="52.01.01.2001")
    roles.redeem(db, token, official, "Pak Kades")
    assert not isinstance(membership.link_group(db, -100777, official, True), str)
    stats = village_stats(db, village)
    text = "\n".join(stats_summary(stats, TITLES, group_members=23))
    assert "Pelanggan lewat obrolan pribadi: 0 orang" in text
    assert "Grup desa terhubung: 1 (23 anggota)" in text
    assert "Grup desa terhubung: 1\n" in "\n".join(stats_summary(stats, TITLES)) + "\n"
