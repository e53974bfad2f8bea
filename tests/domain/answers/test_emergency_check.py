"""An everyday "pulang" is asked about first; a message with any sign of danger is not."""

from __future__ import annotations

import pytest

from bot.core.paths import content_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import Understood, parse_callback, respond
from bot.domain.answers.emergency import is_clear
from bot.domain.answers.retrieval import QuestionIndex

BOOK = AnswerBook.load(content_dir() / "id" / "answers")
INDEX = QuestionIndex.for_book(BOOK)


def _emergency(text: str):  # type: ignore[no-untyped-def]
    """What the chat answers when the NLU is sure the text is an emergency."""
    return respond(Understood("emergency_help", 0.95), text, BOOK, INDEX)


@pytest.mark.parametrize("text", ["pulang", "kalo udah sore pulang", "nanti sore aku pulang "
                                  "kampung", "aku pulang kerja jam 5 sore", "jam berapa pulang"])
def test_everyday_going_home_gets_a_calm_question_not_the_emergency_answer(text: str) -> None:
    reply = _emergency(text)
    assert reply.meta.get("checked_first")
    assert "Polisi" not in reply.text and "KBRI" not in reply.text
    yes, no = (row[0] for row in reply.buttons)
    assert parse_callback(yes.data, BOOK) is not None  # one tap to the emergency answer
    assert no.data == "menu"


@pytest.mark.parametrize("text", [
    "tolong saya mau pulang", "saya disekap di kamboja", "pspr dithn majkn",
    "anak sy ga bs plg", "menolong keluarga keluar dari tempat penyekapan",
    "saya tidak aman sekarang", "i am held against my will",
    "keluarga saya diminta tebusan biar bisa pulang", "suami saya hpnya disita bos",
])
def test_a_message_with_any_sign_of_danger_is_answered_at_once(text: str) -> None:
    assert is_clear(text)
    reply = _emergency(text)
    assert not reply.meta.get("checked_first")
    assert any(b.data == "tip:urgent" for row in reply.buttons for b in row) or \
        reply.meta.get("entry")


def _off_topic(text: str):  # type: ignore[no-untyped-def]
    """What the chat answers when the NLU finds the text off its topics."""
    return respond(Understood("out_of_scope", 0.9), text, BOOK, INDEX)


@pytest.mark.parametrize("text", [
    "aku di kamar hotel, pintunya dikunci dari luar sama orang kantor",
    "dokumen sama hp sy diambil org yg jemput di terminal, gmn ini",
    "tolong sy gk bs keluar dr sini",
    "adek ilang kontak udh 3 minggu sejak brgkt",
    "sy takut bgt, mereka bilang kalo lapor nanti dipukul",
])
def test_someone_in_danger_is_never_turned_away_as_off_topic(text: str) -> None:
    reply = _off_topic(text)
    assert reply.meta.get("danger_check"), reply.text
    yes, no = (row[0] for row in reply.buttons)
    assert parse_callback(yes.data, BOOK) is not None  # one tap to the emergency answer
    assert yes.data == "ans:emergency_help" and no.data == "menu"
    assert "bahaya" in reply.text


@pytest.mark.parametrize("text", ["resep sayur asem yg enak gmn", "jadwal bola nanti malam",
                                  "tolong bantu share jualan keripik sy ya"])
def test_plain_off_topic_talk_gets_the_menu_not_a_danger_question(text: str) -> None:
    reply = _off_topic(text)
    assert not reply.meta.get("danger_check")
    assert reply.meta.get("unanswered")
