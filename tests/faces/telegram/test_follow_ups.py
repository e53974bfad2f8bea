"""Follow-ups such as "terus abis itu?" continue the previous answer, through the emulator.

The topic answered last is kept in the person's conversation state in the database, so the
follow-up works whichever bot process receives it, and without a previous answer the message
keeps its old meaning (the next step of the legal route).
"""

from __future__ import annotations

from bot.core.paths import content_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.followup import LAST, is_follow_up
from bot.domain.messaging import conversation_state
from tests.auxil.harness import Harness
from tests.auxil.watching import Finished

BOOK = AnswerBook.load(content_dir() / "id" / "answers")
PREFIX = 40
PASSPORT_QUESTION = "gmn cr bikin paspor buat kerja"


async def test_terus_abis_itu_continues_the_answer_before(harness_any_db: Harness) -> None:
    harness = harness_any_db
    finished = Finished(harness.app)
    siti = harness.villager("Siti")
    await finished.wait([await siti.say(PASSPORT_QUESTION)])  # handled, and its state saved
    first = await siti.reply()
    passport = BOOK["passport_info"].text
    assert first.text.startswith(passport.short[:PREFIX])
    stored = conversation_state.load(harness.services.db, siti.id)[LAST]
    assert stored["intent"] == "passport_info"

    more = await siti.ask("terus abis itu?")  # the rest of the passport answer
    assert more.text.startswith(passport.full[:PREFIX]), more.text
    assert len(more.text) > len(first.text)

    after = await siti.ask("kalo udah?")  # nothing more on passports: what comes next
    assert "paspor" in after.text.lower() and "selanjutnya" in after.text.lower()
    related = [BOOK[r].title for r in BOOK["passport_info"].related]
    assert after.button_texts() == [*related, "Menu"]


async def test_a_follow_up_without_a_previous_answer_is_the_legal_route(
        harness: Harness) -> None:
    reply = await harness.villager("Budi").ask("terus abis itu?")
    assert reply.text.startswith(BOOK["legal_route"].text.short[:PREFIX]), reply.text


async def test_a_follow_up_with_its_own_question_is_answered_as_asked(
        harness: Harness) -> None:
    ani = harness.villager("Ani")
    await ani.ask(PASSPORT_QUESTION)
    reply = await ani.ask("trus kalo mau lapor calo nomornya brp?")  # a question of its own
    assert not reply.text.startswith(BOOK["passport_info"].text.full[:PREFIX]), reply.text


def test_what_counts_as_a_follow_up() -> None:
    for text in ["terus abis itu?", "kalo udah?", "yg kedua gmn", "kak, trs gmn lg",
                 "lanjutnya apa min", "setelah itu kemana", "terus abis itu",
                 "kalo udah daftar terus ngapain", "abis itu bisa langsung berangkat?"]:
        assert is_follow_up(text), text
    # A marker followed by news of the villager's own day is no request to go on.
    for text in ["terus terang saya bingung soal biaya paspor dan visa kerja ke jepang",
                 "cara bikin paspor", "halo", "", "kalo udah sore pulang",
                 "habis itu aku pulang", "terus aku mau tidur dulu"]:
        assert not is_follow_up(text), text
