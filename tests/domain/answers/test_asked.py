"""The answer states the fact asked for: its kind (a number, an article...) and subject."""

from __future__ import annotations

import pytest

from bot.core.paths import content_dir
from bot.domain.answers.asked import _agree, _says, _squash
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import Understood, respond
from bot.domain.answers.focus import (
    ARTICLE,
    DATE,
    MONEY,
    NAME,
    NUMBER,
    PHONE,
    TIME,
    focus,
    value_kinds,
)
from bot.domain.answers.retrieval import QuestionIndex
from nlu.normalize import normalize

BOOK = AnswerBook.load(content_dir() / "id" / "answers")
INDEX = QuestionIndex.for_book(BOOK)


@pytest.mark.parametrize(("text", "kind"), [
    ("uu ppmi soal calo itu pasal brp", ARTICLE),
    ("korban yg dipaksa nipu bisa dipidana ga, ada pasalnya", ARTICLE),
    ("no wa kbri kuala lumpur brp", PHONE),
    ("kbri bangkok nomernya apa ya", PHONE),
    ("larangan ke arab itu kepmenaker nomor brp", ARTICLE),
    ("undang2 perlindungan pmi no brp ya", ARTICLE),
    ("bikin paspor biayanya brp", MONEY),
    ("umur minimal jd tki brp", TIME),
    ("aturan zero cost berlaku sejak kapan", DATE),
    ("kasus scam sejak 2020 ada brp", NUMBER),
    ("paspor boleh dijadikan jaminan utang ga", None),
    ("korban yg dipulangin diserahin ke kementerian apa", NAME),
    ("kontak kemnaker buat ssw brp", PHONE),
    ("abdi yuswa 38, wates umurna sabaraha", TIME),
    ("larangan ke timur tengah itu aturannya nomor brp", ARTICLE),
    ("aturan lapor diri, nomor kbri brp", PHONE),
])
def test_the_kind_of_value_a_question_asks_for(text: str, kind: str | None) -> None:
    assert focus(normalize(text)) == kind


def test_a_bare_value_takes_its_kind_from_its_statement() -> None:
    assert PHONE in value_kinds("110", "Contact Center Polri 110 gratis, melayani 24 jam.")
    assert TIME in value_kinds("18", "Usia minimal calon PMI adalah 18 tahun.")
    assert PHONE not in value_kinds("126", "Penundaan paspor dilakukan oleh 126 kantor imigrasi.")
    # the year in a rule's number says which rule, not when something happened
    assert DATE not in value_kinds("10 jabatan", "Perban BP2MI 9/2020 membebaskan 10 jabatan.")
    assert DATE in value_kinds("17 Agustus 2020", "Perban 9/2020 terbit 17 Agustus 2020.")


def test_the_ministrys_app_for_reporting_oneself_names_safe_travel() -> None:
    """From the review: it got the list of hotlines, which names no app."""
    reply = respond(Understood("contact_info", 0.65), "aplikasi kemlu buat lapor diri", BOOK, INDEX)
    body, _, sources = reply.text.partition("Sumber:")
    assert "Safe Travel" in body and sources.strip()


def test_an_offer_typed_as_a_question_goes_to_the_offer_checker() -> None:
    """From the review: a Taiwan offer got the Taiwan wage fact instead of being checked."""
    text = "ada tawaran kerja pabrik di taiwan gaji 35 juta sebulan, potong gaji 6 bulan, aman ga?"
    reply = respond(Understood("offer_check", 0.99), text, BOOK, INDEX)
    assert reply.intent == "offer_check" and reply.meta.get("entry") is None


def test_a_number_asked_under_another_topic_gets_the_fact_that_states_it() -> None:
    """The NLU says statistics; the penalty for an unlicensed recruiter is in the law facts."""
    reply = respond(Understood("migration_stats", 0.9),
                    "calo perorangan yg nempatin pmi tanpa izin dipenjara brp lama", BOOK, INDEX)
    assert "10 tahun" in reply.text and "Sumber:" in reply.text


def test_an_age_given_as_context_is_not_the_thing_asked() -> None:
    """"umur sy 19" tells who asks; "syarat apa aja" asks for the requirements."""
    assert focus(normalize("apa aja syarat2 klo mau jd tki, umur sy 19")) is None


@pytest.mark.parametrize("text", [
    "di bandara bali jan-okt 2024 yg ditunda brp org",
    "berapa wni yg ditunda di bandara bali jan sampe okt 2024",
])
def test_a_fact_far_ahead_of_the_others_answers_in_villagers_words(text: str) -> None:
    """"jan-okt", "bali" are not the source's "Januari–Oktober", "Ngurah Rai (Bali)": the
    fact holds under half the question's weight, yet no other fact comes near it."""
    reply = respond(Understood("migration_stats", 0.8), text, BOOK, INDEX)
    assert "292 WNI" in reply.text and "Sumber:" in reply.text


def test_a_claim_in_words_is_not_a_name() -> None:
    """"Lewat web apa" asks for a site or a name: "tidak menjamin penempatan" is neither."""
    assert NAME not in value_kinds("tidak menjamin penempatan",
                                   "Lulus ujian EPS-TOPIK tidak menjamin penempatan ke Korea.")
    assert NAME in value_kinds("Safe Travel", "Aplikasi Safe Travel Kemlu diluncurkan 2018.")
    reply = respond(Understood("training_info", 0.8),
                    "pendaftaran ujian eps topik 2025 lewat situs apa", BOOK, INDEX)
    assert "SISKOP2MI" in reply.text


@pytest.mark.parametrize(("intent", "text", "value", "publisher"), [
    ("passport_info", "aplikasi buat antri paspor namanya apa", "M-Paspor", "Kompas"),
    ("country_info", "medical check up ulang buat g to g korea bayar brp", "Rp850.000",
     "Lentera Kita"),
    ("country_info", "ssw jepang hrs bisa bahasa level apa", "JLPT N4", "Kompas (Ohayo Jepang)"),
])
def test_a_fact_sheet_line_the_content_lacked_is_answered_with_its_source(
        intent: str, text: str, value: str, publisher: str) -> None:
    """The fact sheet had these (with sources); the registry did not, so no answer had them."""
    body, _, sources = respond(Understood(intent, 0.8), text, BOOK, INDEX).text.partition(
        "Sumber:")
    assert value in body and publisher in sources


def test_asking_for_the_apps_name_gets_the_app_not_the_hotlines() -> None:
    """The lead's miss: "apa namanya" weighed like a subject word, so no fact held enough."""
    reply = respond(Understood("contact_info", 0.6), "aplikasi kemlu buat lapor diri apa namanya",
                    BOOK, INDEX)
    body, _, sources = reply.text.partition("Sumber:")
    assert ("Peduli WNI" in body or "Safe Travel" in body) and sources.strip()


def test_a_question_the_nlu_finds_off_topic_gets_the_fact_when_every_word_is_known() -> None:
    """Long messages with a story before the question look off-topic to the NLU."""
    reply = respond(Understood("out_of_scope", 0.8),
                    "ponakan mau jd art ke arab, katanya ga boleh. aturannya kepmenaker nomor brp?",
                    BOOK, INDEX)
    assert "260/2015" in reply.text and "Sumber:" in reply.text


@pytest.mark.parametrize("text", ["berapa harga cabai hari ini",
                                  "siapa presiden pertama indonesia"])
def test_an_off_topic_question_gets_the_polite_menu_not_a_topic_that_shares_its_letters(
        text: str) -> None:
    """Passport fees for the price of chillies, or a repatriation answer for a history quiz,
    tell a villager the bot does not listen; the menu tells them what it can do."""
    reply = respond(Understood("out_of_scope", 0.9), text, BOOK, INDEX)
    assert reply.intent == "out_of_scope" and reply.meta.get("unanswered")


@pytest.mark.parametrize(("intent", "text", "publisher"), [
    ("agency_check", "perusahaan penyalur resmi hrs punya izin apa namanya", "Jabar News"),
    ("contact_info", "nomor pengaduan kemenpppa buat kekerasan anak perempuan", "Tribrata News"),
])
def test_the_asked_facts_own_source_is_named_under_an_entry_that_states_it(
        intent: str, text: str, publisher: str) -> None:
    """The entry states SIP3MI / SAPA 129 under the source its author read; the fact asked
    for has that value from another source, which the villager now sees too."""
    _, _, sources = respond(Understood(intent, 0.9), text, BOOK, INDEX).text.partition("Sumber:")
    assert publisher in sources


def test_a_value_inside_a_longer_figure_is_not_stated() -> None:
    """"Rp100.000" (the SPLP fee) is not stated by a text saying "Rp1.000.000"."""
    reply = respond(Understood("passport_info", 0.82),
                    "hilang paspor waktu kerja di hongkong, surat pengganti dr konsulat bayar brp",
                    BOOK, INDEX)
    if "Rp100.000" not in reply.text:
        assert "Kompas TV" not in reply.text.partition("Sumber:")[2]


def test_a_passport_lost_abroad_gets_the_first_step_and_its_source() -> None:
    """The fact sheet says: the local police first, then the embassy for an SPLP."""
    reply = respond(Understood("passport_info", 0.9),
                    "paspor sy hilang di luar negeri, langkah pertama hrs ngapain", BOOK, INDEX)
    body, _, sources = reply.text.partition("Sumber:")
    assert "polisi" in body and "SPLP" in body and "CNN Indonesia" in sources


@pytest.mark.parametrize(("intent", "text", "value", "publisher"), [
    ("country_info", "jalur resmi satu2nya buat pembantu rumah tangga ke malaysia namanya apa",
     "One Channel System", "Garuda News"),
    ("contact_info", "aplikasi polisi buat lapor pmi ilegal selain telpon 110 apa namanya",
     "Polri Super Apps", "PLB News"),
])
def test_a_name_asked_for_comes_from_the_statement_that_names_it(
        intent: str, text: str, value: str, publisher: str) -> None:
    """The fact's value is a date or the hotline; its statement names the channel or app."""
    body, _, sources = respond(Understood(intent, 0.8), text, BOOK, INDEX).text.partition(
        "Sumber:")
    assert value in body and publisher in sources


def test_an_article_stated_after_the_laws_number_is_stated() -> None:
    """Squashed, "UU 18/2017 Pasal 6 ayat 2" glues the year to the article: still stated,
    so the other source of "Pasal 6 ayat 2" is named too."""
    said = _squash("Menurut UU 18/2017 Pasal 6 ayat 2, PMI wajib melapor ke Perwakilan RI.")
    assert _says(said, "Pasal 6 ayat 2")
    assert not _says(_squash("biaya Rp1.000.000"), "Rp100.000")


def test_a_hotline_numbered_like_a_year_is_a_phone_number() -> None:
    """Taiwan's 1955 line reads like a year; after "Layanan" it is the number to call."""
    assert PHONE in value_kinds("1955", "Layanan 1955 Kemnaker Taiwan untuk mengadu.")
    assert PHONE not in value_kinds("2018", "Aplikasi Safe Travel diluncurkan pada 2018.")
    reply = respond(Understood("contact_info", 0.8),
                    "nomor pengaduan kemnaker taiwan kalo agensi narik biaya kelebihan brp",
                    BOOK, INDEX)
    assert "1955" in reply.text.partition("Sumber:")[0]


def test_a_sure_topic_gets_the_article_asked_for_not_its_general_answer() -> None:
    """The fact holds 40 % of the question's words; the general answer names no article."""
    reply = respond(Understood("pmi_requirements", 0.8),
                    "pasal berapa yang ngatur dokumen wajib calon pmi kayak paspor sama visa kerja",
                    BOOK, INDEX)
    body, _, sources = reply.text.partition("Sumber:")
    assert "Pasal 13" in body and "Wikisource" in sources


def test_one_number_written_two_ways_is_no_rival_for_the_question() -> None:
    """Two sources write SAPA's WhatsApp with and without dashes: one value, so the NLU's
    unsure guess still gets the number, not the polite menu."""
    assert _agree(frozenset({"08111129129"}), frozenset({"08111-129-129"}))
    reply = respond(Understood("contact_info", 0.3),
                    "adik perempuan sy mau dibawa calo keluar negeri, nomor whatsapp sapa 129 brp",
                    BOOK, INDEX)
    assert "08111-129-129" in reply.text.partition("Sumber:")[0]


def test_a_laws_number_written_another_way_names_that_sources_too() -> None:
    """"UU Nomor 21 Tahun 2007" under one source is "UU 21/2007" under others: one value."""
    said = "Perdagangan orang atau TPPO diatur dalam UU Nomor 21 Tahun 2007."
    named = ["https://text-id.123dok.com/document/ozl12v0oy-tindak-pidana-lain-yang-berkaitan-"
             "dengan.html"]
    extra = INDEX.supporting("perdagangan orang itu diatur uu nomor brp", said, named)
    assert "Meridian Hukum" in {s.publisher for s in extra}


def test_a_sum_two_facts_share_is_not_one_fact() -> None:
    """The fine for a lost passport and the fee for a faster one are both Rp1.000.000."""
    said = "Denda paspor hilang Rp1.000.000, paspor rusak Rp500.000."
    extra = INDEX.supporting("paspor hilang dendanya brp", said, ["https://abnnews.id/?p=9649"])
    assert "Kompas TV" not in {s.publisher for s in extra}


@pytest.mark.parametrize(("fact", "name"), [
    ("negara.kamboja.bukan_penempatan_tanggal", "Mukhtarudin"),
    ("pulang.overstay_denda", "Santo Darmosumarto"),
    ("biaya.pungutan_dilarang.tanggal_menteri", "Karding"),
])
def test_a_statement_quoting_an_official_says_who(fact: str, name: str) -> None:
    """"Menteri P2MI (28 Oktober 2025): ..." could not answer "siapa menterinya"; the fact
    sheet names the official, and the answer made of the statement now does too."""
    assert BOOK.registry is not None and name in BOOK.registry[fact].statement


def test_a_statement_saying_another_ones_value_and_more_is_no_rival() -> None:
    """"Syarat paspor dewasa (Permenkumham 8/2014)" names the rule the statement listing the
    documents names too: the villager asking for the requirements gets the documents."""
    reply = respond(Understood("passport_info", 0.95), "syarat paspor dewasa apa ya kak",
                    BOOK, INDEX)
    body, _, sources = reply.text.partition("Sumber:")
    assert "KTP elektronik" in body
    assert any(s.publisher in sources for s in reply.sources)
    assert reply.meta.get("entry") == "passport_info#f_20516d0aa6"


@pytest.mark.parametrize(("intent", "text", "words"), [
    ("legal_route", "kepanjangan sip3mi apa ya", "Surat Izin Perusahaan Penempatan"),
    ("out_of_scope", "splp singkatannya apa", "Surat Perjalanan Laksana Paspor"),
    ("legal_route", "opp itu singkatan dari apa", "Orientasi Pra Pemberangkatan"),
])
def test_an_acronym_asked_about_is_spelled_out(intent: str, text: str, words: str) -> None:
    """One known word, the acronym, fits a dozen statements equally; the one spelling it out
    answers, with its source (a bracket that is a date or a person is no spelling-out)."""
    reply = respond(Understood(intent, 0.9), text, BOOK, INDEX)
    body, _, sources = reply.text.partition("Sumber:")
    assert words in body
    assert any(s.publisher in sources for s in reply.sources)


def test_a_bracket_that_is_a_date_does_not_spell_out_an_acronym() -> None:
    assert focus(normalize("bp2mi singkatannya apa")) == NAME
    glossed = INDEX._facts_asked._glossed if INDEX._facts_asked else {}
    assert "bp2mi" not in glossed and "kp2mi" not in glossed and "bp3mi" in glossed


def test_what_an_article_requires_is_answered_not_only_its_number() -> None:
    """An entry citing "Pasal 13 UU 18/2017" states the article's number, not that a family's
    consent letter must be known to the village head: the article's statement answers."""
    reply = respond(Understood("pmi_requirements", 0.95),
                    "izin dari istri buat kerja keluar negeri harus diketahui siapa", BOOK, INDEX)
    body, _, sources = reply.text.partition("Sumber:")
    assert "kepala desa" in body and "Wikisource" in sources
