"""Answers to the question asked: the entry of the recognised intent, else the general answer."""

from __future__ import annotations

import pytest

from bot.core.paths import content_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import Understood, parse_callback, respond
from bot.domain.answers.retrieval import QuestionIndex

BOOK = AnswerBook.load(content_dir() / "id" / "answers")
INDEX = QuestionIndex.for_book(BOOK)


def _ask(intent: str, text: str, confidence: float = 0.9, country: str | None = None):
    return respond(Understood(intent, confidence, country), text, BOOK, INDEX)


def test_a_figure_question_gets_the_entry_with_the_figure_and_its_source() -> None:
    reply = _ask("migration_stats", "berapa PMI ilegal yang dipulangkan dari Kamboja 2024")
    assert reply.meta["entry"] == "migration_stats#dipulangkan_kamboja"
    assert "391" in reply.text
    assert any("layarlensa" in s.url for s in reply.sources)
    assert "detikNews" in reply.text.split("Sumber:")[1]


def test_a_question_for_one_hotline_gets_that_hotline() -> None:
    """It got the list of every number before; now the number asked for, first."""
    reply = _ask("contact_info", "minta no hotline bp2mi dong")
    assert reply.meta["entry"] == "contact_info#kp2mi"
    assert reply.text.startswith("KP2MI")


def test_a_general_question_keeps_the_general_answer() -> None:
    reply = _ask("migration_stats", "statistik korban TPPO online scam")
    assert "entry" not in reply.meta
    assert reply.text.startswith(BOOK["migration_stats"].text.short[:40])


def test_the_ransom_question_of_the_audit_is_answered_with_what_to_do() -> None:
    reply = _ask("emergency_help", "keluarga saya diminta tebusan biar bisa pulang")
    assert reply.meta["entry"] == "emergency_help#tebusan"
    assert reply.text.startswith("Sebelum membayar apa pun, laporkan dulu")
    labels = [b.label for row in reply.buttons for b in row]
    assert "Hubungi petugas sekarang" in labels


def test_when_the_nlu_is_unsure_entries_of_every_intent_compete() -> None:
    reply = _ask("out_of_scope", "berapa biaya paspor elektronik sekarang", confidence=0.1)
    assert reply.meta["entry"] == "passport_info#biaya_paspor"
    assert "Rp950.000" in reply.text


def test_json_reports_the_entry_and_the_general_answer_reports_none() -> None:
    entry = _ask("contact_info", "nomor kedutaan indonesia di bangkok").as_dict()
    general = _ask("contact_info", "nomor penting apa saja").as_dict()
    assert entry["entry"] == "contact_info#kbri_thailand"
    assert general["entry"] is None


def test_read_more_of_an_entry_is_a_checked_button() -> None:
    reply = _ask("emergency_help", "keluarga saya diminta tebusan biar bisa pulang")
    data = [b.data for row in reply.buttons for b in row if b.label == "Selengkapnya"]
    assert data == ["entry:emergency_help:tebusan"]
    assert parse_callback(data[0], BOOK) == ("entry", "emergency_help", "tebusan")


@pytest.mark.parametrize("forged", ["entry:emergency_help:tidak_ada", "entry:nope:tebusan",
                                    "entry:emergency_help", "entry:emergency_help:tebusan:x"])
def test_a_forged_entry_button_is_refused(forged: str) -> None:
    assert parse_callback(forged, BOOK) is None


def test_every_entry_states_the_facts_it_answers_with_their_sources() -> None:
    for answer in BOOK.answers.values():
        for entry in answer.entries.values():
            shown = {s.url for s in entry.text.short_sources}
            assert entry.text.short_sources, entry.id
            assert len(entry.questions) >= 3, entry.id
            assert shown <= {s.url for s in entry.text.sources}, entry.id
