"""A figure no written entry states is still answered: with its fact's sourced statement."""

from __future__ import annotations

from bot.core.paths import content_dir
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import Understood, parse_callback, respond
from bot.domain.answers.followup import LAST, continuing, remember
from bot.domain.answers.retrieval import QuestionIndex
from bot.domain.answers.wording import tokens
from bot.domain.content.coverage import bullets, coverage, stated_by
from bot.domain.content.facts import FactRegistry

FACTS = FactRegistry.load(content_dir() / "id" / "facts")
BOOK = AnswerBook.load(content_dir() / "id" / "answers", FACTS)
INDEX = QuestionIndex.for_book(BOOK)


def _ask(intent: str, text: str, confidence: float = 0.9):
    return respond(Understood(intent, confidence), text, BOOK, INDEX)


def test_a_fine_only_a_fact_states_is_told_with_its_source() -> None:
    """"denda overstay setahun" got the list of people asking to go home, without the fine."""
    reply = _ask("migration_stats", "denda overstay di kamboja kalau udah setahun berapa")
    assert "USD 3.650" in reply.text
    assert "Babe Indonesia" in reply.text.split("Sumber:")[1]
    assert reply.meta["entry"].split("#")[1].startswith("f_")


def test_a_figure_question_the_nlu_calls_off_topic_still_gets_the_fact() -> None:
    reply = _ask("out_of_scope", "kemlu carter pesawat buat mulangin wni habis berapa", 0.2)
    assert "Rp1 miliar" in reply.text
    assert reply.sources and reply.sources[0].publisher in reply.text


def test_an_off_topic_message_is_not_answered_with_a_fact() -> None:
    for text in ["resep rendang padang yang enak", "jadwal bola malam ini berapa"]:
        reply = _ask("out_of_scope", text, 0.2)
        assert reply.intent == "out_of_scope", (text, reply.text)


def test_a_written_entry_with_the_figure_keeps_the_question() -> None:
    reply = _ask("migration_stats", "berapa PMI ilegal yang dipulangkan dari Kamboja 2024")
    assert reply.meta["entry"] == "migration_stats#dipulangkan_kamboja"


def test_a_question_the_general_answer_misses_gets_the_fact_its_words_ask_for() -> None:
    """The passport answer's general text was the reply; the facts' `asked:` lines know it.

    The generated entries' variants (statement, `asked:` lines) are matched once the written
    variants find only the intent's general answer.
    """
    reply = _ask("passport_info", "wawancara paspor udah seminggu belum selesai, biasanya "
                                  "berapa lama")
    assert "4 hari kerja" in reply.text
    assert reply.meta["entry"].split("#")[1].startswith("f_")
    reply = _ask("passport_info", "paspor ditolak karena ngaku mau liburan, bisa ngajuin lagi?")
    assert "mengajukan lagi" in reply.text and "jujur" in reply.text


def test_a_question_the_general_answer_holds_whole_keeps_the_general_answer() -> None:
    """A fact's `asked:` line closer by its letters does not replace the answer written for it."""
    reply = _ask("scam_signs", "apa aja tanda2 lowongan luar negri bohongan")
    assert "entry" not in reply.meta
    assert reply.text.startswith(BOOK["scam_signs"].text.short[:30])


def test_a_plea_for_help_is_not_answered_by_a_generated_variant() -> None:
    for text in ["psprt sy ditahn majikan di taiwan",
                 "dokumen sy dipegang mandor, sy ga bs pulang"]:
        reply = _ask("emergency_help", text)
        assert not (reply.meta.get("entry") or "#").split("#")[1].startswith("f_"), text


def test_every_current_fact_can_be_told_by_some_answer() -> None:
    """No figure of the registry is unreachable: a written or a generated entry states it."""
    told = {f for e in BOOK.generated.values() for f in e.text.facts}
    told |= set(stated_by(BOOK)[1])
    missing = [f.id for f in FACTS.facts.values() if not f.replaced_by and f.id not in told]
    assert missing == []


def test_a_generated_entry_button_is_understood_and_a_forged_one_is_not() -> None:
    entry = next(iter(BOOK.generated.values()))
    assert parse_callback(f"entry:{entry.intent}:{entry.id}", BOOK) == (
        "entry", entry.intent, entry.id)
    other = "legal_route" if entry.intent != "legal_route" else "visa_info"
    assert parse_callback(f"entry:{other}:{entry.id}", BOOK) is None


def test_villagers_words_meet_the_sources_words() -> None:
    assert tokens("hukumannya brp thn") == tokens("penjara berapa tahun")
    assert tokens("gaji minimum ringgit") == tokens("upah minimum RM")


def test_terus_abis_itu_after_a_whole_entry_gives_the_topic_answer() -> None:
    """It jumped to "that was everything" and the related topics; the topic comes first."""
    state: dict = {}
    first = _ask("migration_stats", "berapa PMI ilegal yang dipulangkan dari Kamboja 2024")
    remember(state, first)
    state[LAST]["full"] = True  # the entry was read whole
    nxt = continuing(Understood("legal_route", 0.9), "terus abis itu?", BOOK, state[LAST])
    assert nxt is not None and "entry" not in nxt.meta
    assert nxt.text.startswith(BOOK["migration_stats"].text.short[:40])


def test_the_coverage_report_pairs_a_bullet_with_its_fact_and_entry() -> None:
    fact = FACTS["pulang.overstay_setahun"]
    sheet = (f"### 3f. Pulang\n- Denda overstay setahun USD 3.650. — *gloss* — "
             f"[{fact.source.url}, 22 Jan 2026]\n- Tanpa sumber 5 orang.\n"
             f"- Lama (diganti) 7 hari — [https://example.org/x, t.t.]\n")
    rows = coverage(bullets(sheet), FACTS, BOOK)
    assert len(rows) == 2 and rows[0].bullet.section == "3f."
    assert "pulang.overstay_setahun" in rows[0].facts and rows[0].bullet.has_number
    assert rows[1].bullet.replaced and not rows[1].facts


def test_a_person_in_danger_gets_the_emergency_answer_not_a_statistic() -> None:
    """"dikunci di myanmar" shares words with a Myanmar statistic; it asks for help."""
    for intent, confidence in (("emergency_help", 0.9), ("out_of_scope", 0.2)):
        reply = _ask(intent, "tolong adek sy di myanmar ga boleh plg, dikunci di kantor",
                     confidence)
        assert "#f_" not in str(reply.meta.get("entry")), reply.text
        assert not reply.text.startswith("Laporan Kantor HAM PBB")


def test_a_country_question_without_a_figure_keeps_the_country_answer() -> None:
    """It got "the internship programme has 45,000 alumni" before the question had a figure."""
    reply = respond(Understood("country_info", 0.9, "Jepang"), "kerja magang di jepang gmn",
                    BOOK, INDEX)
    assert "#f_" not in str(reply.meta.get("entry")) and "45.000" not in reply.text


def test_a_vague_figure_question_keeps_the_general_answer() -> None:
    """"korban tppo 2024" shares only common words with an arrest report of 2024."""
    reply = _ask("migration_stats", "ada brp korban tppo 2024")
    assert "#f_" not in str(reply.meta.get("entry")), reply.text


def test_a_fact_of_a_completing_file_belongs_to_its_topic() -> None:
    """`paspor_lengkap.yml` completes `paspor.yml`: its facts come with the passport buttons.

    Before, every fact of a `*_lengkap.yml` file fell to the statistics answer and offered its
    buttons ("how many were sent home") under a question about a passport.
    """
    completing = [e for e in BOOK.generated.values()
                  if any("/paspor_lengkap.yml:" in FACTS.facts[f].where for f in e.text.facts)]
    assert completing
    assert {e.intent for e in completing} == {"passport_info"}


def test_the_opp_subjects_and_the_required_bpjs_programmes_name_their_sources() -> None:
    """Each was plain prose under another fact's source: the villager saw no source for it."""
    reply = _ask("training_info", "materi orientasi pra pemberangkatan apa aja")
    assert "bahaya perdagangan orang" in reply.text and "wajib diikuti" in reply.text
    named = reply.text.split("Sumber:")[1]
    assert all(p in named for p in ("Disnaker Kabupaten Blitar", "KP2MI", "Tribun Aceh"))
    reply = _ask("agency_check", "surat izin apa yg hrs ditunjukin pt penyalur")
    assert "SIP3MI" in reply.text and "Jabar News" in reply.text.split("Sumber:")[1]
    reply = _ask("worker_rights", "bpjs pmi yg wajib program apa aja")
    assert "JKK" in reply.text and "Info Regulasi" in reply.text.split("Sumber:")[1]
