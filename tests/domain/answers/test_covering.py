"""The entry that holds the question's words answers it: without a figure word, across topics."""

from __future__ import annotations

import pytest

from bot.core.paths import content_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import Understood, respond
from bot.domain.answers.retrieval import QuestionIndex
from bot.domain.answers.wording import tokens

BOOK = AnswerBook.load(content_dir() / "id" / "answers")
INDEX = QuestionIndex.for_book(BOOK)


def _ask(intent: str, text: str, confidence: float = 0.9):
    return respond(Understood(intent, confidence), text, BOOK, INDEX)


@pytest.mark.parametrize(("intent", "confidence"), [("out_of_scope", 0.8),
                                                    ("contact_info", 0.9)])
def test_a_question_without_a_figure_word_gets_the_fact_it_asks_for(
        intent: str, confidence: float) -> None:
    """"safe travel bisa lacak lokasi ga" got "I cannot help with that": it asks no figure."""
    reply = _ask(intent, "safe travel bisa lacak lokasi ga", confidence)
    assert "melacak lokasi" in reply.text
    assert reply.sources and reply.sources[0].publisher in reply.text.split("Sumber:")[1]


def test_what_a_scam_method_is_gets_the_method() -> None:
    reply = _ask("scam_signs", "modus ganti kepala itu apa")
    assert "pengganti" in reply.text and "Sumber:" in reply.text


def test_an_entry_of_another_topic_that_holds_the_question_answers_it() -> None:
    """The NLU says statistics; the cost of bringing victims home is in an emergency entry."""
    reply = _ask("migration_stats",
                 "negara keluar duit brp buat mulangin korban online scam thn 2022", 0.95)
    assert reply.meta["entry"] == "emergency_help#biaya_pulang"


def test_an_unsure_nlu_still_reaches_the_written_entry_with_the_figure() -> None:
    reply = _ask("worker_rights", "klo di hk uang makan dr majikan brp", 0.44)
    assert "HK$1.236" in reply.text


@pytest.mark.parametrize("text", ["lowongan pns kapan dibuka", "mau pinjem duit 2jt",
                                  "jadwal bola malam ini berapa"])
def test_off_topic_words_that_answers_share_stay_off_topic(text: str) -> None:
    """"lowongan ... dibuka" is in the Saudi entry; "pns" is another subject."""
    assert _ask("out_of_scope", text).intent == "out_of_scope"


def test_common_words_of_another_topic_do_not_move_the_answer() -> None:
    """"gaji dipotong agen" is in the Ferienjob entry; the question is about fees."""
    reply = _ask("costs_fees", "gaji dipotong agen boleh gak")
    assert reply.intent == "costs_fees" and "Ferienjob" not in reply.text


def test_the_entry_similarity_chose_keeps_a_question_worded_like_another() -> None:
    """"paling lama" is a question's form; it made the under-age penalty win."""
    reply = _ask("trafficking_info", "pelaku tppo bs dipenjara paling lama brp taun", 1.0)
    assert reply.meta["entry"] == "trafficking_info#hukuman_tppo"


def test_a_number_typed_without_separators_is_the_same_number() -> None:
    assert tokens("dari 3703 wni") == tokens("dari 3.703 WNI")


def test_a_fact_that_holds_as_much_of_the_question_as_an_entry_answers_it() -> None:
    """The Taiwan fees entry holds the same words, but only the SP2T fact says it costs nothing."""
    reply = _ask("costs_fees", "ke taiwan lewat jalur sp2t bayar ga")
    assert "SP2T" in reply.text and "tanpa biaya" in reply.text


def test_since_when_gets_the_answer_that_states_a_year() -> None:
    """The internship entry holds the same words but no year; the fact says since 1993."""
    reply = _ask("country_info", "program magang kemnaker ke jepang udh ada dr thn brp")
    assert "1993" in reply.text


def test_since_when_a_hotline_exists_gets_the_date_not_only_the_number() -> None:
    """The KP2MI entry states the number 0800-1000, not since when it exists."""
    reply = _ask("contact_info", "call center 0800 1000 itu udh ada sejak kpn")
    assert "2011" in reply.text


def test_a_question_in_sundanese_about_a_licensed_company_gets_the_office_to_visit() -> None:
    """Sundanese function words ("kudu", "naon") and "pt" for "perusahaan" kept the Disnaker
    fact out of reach of a message the NLU found off-topic."""
    reply = _ask("out_of_scope", "abdi hoyong mastikeun pt ieu berizin, kudu datang ka kantor naon",
                 0.8)
    assert "Dinas Tenaga Kerja" in reply.text and "Sumber:" in reply.text


def test_who_asks_is_not_what_is_asked() -> None:
    """"bibi sy" / "kakak sy": the relative is context, not a word the answer must hold."""
    assert tokens("bibi sy mau jd art di riyadh") == tokens("sy mau jd art di riyadh")
    assert tokens("ngasesmen") == tokens("mengasesmen")


def test_a_fact_that_holds_every_word_of_the_question_answers_it() -> None:
    """The Myawaddy entry shares most of the words; only the fact states the women assessed."""
    reply = _ask("migration_stats",
                 "maret 2025 kemenpppa ngasesmen brp perempuan korban dari myanmar", 0.9)
    assert "109" in reply.text and "Sumber:" in reply.text


def test_what_a_menu_is_called_gets_the_fact_that_names_it() -> None:
    """"namanya apa" asks for one name, as "nomor brp" asks for one number: a fact answers."""
    reply = _ask("legal_route",
                 "nama menu di siapkerja buat daftar kerja ke luar negri apa namanya")
    assert "jenjang karir luar negeri" in reply.text.lower() and "Sumber:" in reply.text


def test_what_a_contract_must_hold_is_the_list_of_pasal_15() -> None:
    """Both Pasal 15 facts stated only 'perjanjian kerja paling sedikit memuat:' (the list was
    in the answers' prose), so the fact's own answer told a villager nothing."""
    reply = _ask("worker_rights", "perjanjian kerja pmi paling sedikit harus memuat apa")
    assert "jam kerja" in reply.text and "upah" in reply.text
    assert "Wikisource" in reply.text


@pytest.mark.parametrize(("intent", "text", "value"), [
    ("passport_info", "paspor rusak kena air, bikin baru dendanya brp", "Rp500.000"),
    ("contact_info", "perlindungan darurat lpsk berapa hari", "7 hari"),
])
def test_an_entry_answers_for_every_figure_it_states(intent: str, text: str, value: str) -> None:
    """An entry stating several figures lists them all in `facts:`, so the questions of each
    (a damaged passport's fine, LPSK's emergency protection) reach it."""
    reply = _ask(intent, text)
    assert value in reply.text and "Sumber:" in reply.text
