"""Issue 15: the embedded engine on villagers' messages it never trained on.

The fresh set (tests/fixtures/nlu_fresh.yml) was written before the training data changed,
sealed2 and dev4 before briefs nlu3 and nlu changed it. Floors: accuracy >= 0.96 and
out-of-scope recall >= 0.95 on them and on the test split; and
the four kinds of message the engine used to send to out_of_scope (dropped vowels, other
faiths' and regions' greetings, "stop the notifications" complaints, follow-ups) reach
their intent, while off-topic look-alikes stay out of scope.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.services import Services
from nlu.embedded import DOMESTIC, FALLBACK_THRESHOLD, EmbeddedEngine, mark_places
from nlu.evaluate import evaluate, load_labelled
from nlu.vowels import restore, skeleton_index
from tests.auxil.paths import FIXTURES

SETS = [FIXTURES / "nlu_fresh.yml", Path(__file__).resolve().parents[2] / "nlu" / "tests"
        / "test_data.yml", FIXTURES / "nlu_sealed2.yml", FIXTURES / "nlu_dev4.yml"]


@pytest.mark.parametrize("path", SETS, ids=["fresh", "test split", "sealed2", "dev4"])
def test_accuracy_and_out_of_scope_recall_meet_the_floors(shared_services: Services,
                                                           path: Path) -> None:
    result = evaluate(shared_services.nlu.parse, load_labelled(path))
    assert result.accuracy >= 0.96, result.confused()
    assert result.oos_recall >= 0.95, result.confused()


@pytest.mark.parametrize(("text", "intent"), [
    ("cr dftr psprt dmn", "passport_info"),
    ("namo buddhaya min", "greet"),
    ("om swastyastu", "greet"),
    ("horas min", "greet"),
    ("suksma nggih", "thanks"),
    ("jangan kirim2 terus dong", "unsubscribe"),
    ("berisik bgt sih", "unsubscribe"),
    ("abis itu?", "legal_route"),
    ("kalo udah daftar terus gmn", "legal_route"),
    ("tetangga saya berisik", "out_of_scope"),
    # words with vowels dropped that no lexicon entry lists
    ("ciri2 lwongan plsu", "scam_signs"),
    ("brhnti lngganan", "unsubscribe"),
    ("sdr sy dsekap d kmboja tlg", "emergency_help"),
    ("asdfgh qwerty", "out_of_scope"),
    ("lngkh2 jd pmi", "legal_route"),  # a reduplication restored half by half
    # brief nlu: a letter typed twice, a colloquial suffix, a regional greeting
    ("mau kuiss", "quiz_start"),
    ("berhentiin aja min", "unsubscribe"),
    ("tabe pak", "greet"),
    ("ikut tebak2an yuk", "quiz_start"),
    ("sy gk ngerti cara pake bot ini", "bot_help"),
    ("trs abis medical ngapain", "legal_route"),
    # brief nlu, tenth session: a phrase and a two-letter word typed without vowels, and
    # a requirement, a subscription or a contact of village life that stays off-topic
    ("htr nhn kak", "thanks"),
    ("wljng wngi", "greet"),
    ("mo ikt ks dong", "quiz_start"),
    ("pasport sy ditunda knp", "passport_info"),  # one slip in a long word
    ("pelatiahn sblm brangkat dmn", "training_info"),
    ("syarat bikin sktm buat sekolah", "out_of_scope"),
    ("cara berhenti langganan disney hotstar", "out_of_scope"),
    # off-topic messages that share a word with an intent stay out of scope
    ("agen bri link buka jam brp", "out_of_scope"),
    ("kerja bakti minggu depan", "out_of_scope"),
    ("bayar pake kartu visa bisa?", "out_of_scope"),
    ("daftar lomba panjat pinang", "out_of_scope"),
    ("gaji satpam di kota brp", "out_of_scope"),
    ("suami sy suka marah2 di rumah", "out_of_scope"),
    ("lapor rt ada ular masuk rumah", "out_of_scope"),
    # brief nlu, fourth session: a village group's everyday topics (none of them trained on)
    ("tiket konser sheila on 7 brp", "out_of_scope"),
    ("lowongan guru honorer smp", "out_of_scope"),
    ("limit kartu kredit visa sy kecil", "out_of_scope"),
    ("pr sejarah tentang romusha", "out_of_scope"),
    ("bot kamu udah nikah?", "out_of_scope"),
    # ... while a greeting of another faith and Javanese questions keep their intent
    ("salam sejahtera dlm kasih kristus", "greet"),
    ("ojo kirim pesen maneh", "unsubscribe"),
    ("piye carane dadi tki resmi", "legal_route"),
    # brief nlu, eleventh session: migration words in another sense stay off-topic (gas
    # stock "sent again", umroh, BPJS at the puskesmas), while a Malaysian "Sdn Bhd", working
    # hours abroad and a goodbye with its reason keep their intent
    ("stok gas elpiji di agen kosong, kapan dikirim lg", "out_of_scope"),
    ("biaya umroh sekeluarga brp", "out_of_scope"),
    ("bpjs kesehatan sy bisa dipake di puskesmas desa gk", "out_of_scope"),
    ("agensi Maju Sdn Bhd tu legit ke", "agency_check"),
    ("jam kerja prt di taiwan brp jam sehari", "worker_rights"),
    ("udah dulu ya, mau jemput anak", "goodbye"),
    # a job in a place inside Indonesia that no training message names is off-topic, while
    # a recruiter or a course in an Indonesian town keeps its intent
    ("lowongan kerja kebun sawit di kalbar ada?", "out_of_scope"),
    ("lpk jepang di bandung terdaftar gak", "agency_check"),
    ("pelatihan caregiver di surabaya ada gk", "training_info"),
    # a phrase typed without vowels is found before its words are restored ("sntn" is no
    # "sunatan"), and "mks" is makasih
    ("wljng sntn", "greet"),
    ("mks y", "thanks"),
])
def test_the_messages_issue_15_names(shared_services: Services, text: str, intent: str) -> None:
    assert shared_services.nlu.parse(text)["intent"]["name"] == intent


def test_places_inside_indonesia_are_marked_but_crossing_points_are_not() -> None:
    assert mark_places("kerja sawit di kalbar") == f"kerja sawit di kalbar {DOMESTIC}"
    assert mark_places("lewat batam ke malaysia") == "lewat batam ke malaysia"
    assert mark_places("") == ""


def test_vowels_are_restored_only_when_one_training_word_fits() -> None:
    index = skeleton_index([["lowongan", "palsu", "pulsa", "berhenti"]])
    assert restore("lwongan", index) == "lowongan"
    assert restore("brhnti", index) == "berhenti"
    assert restore("plsu", index) == "plsu"  # palsu or pulsa: left as typed
    assert restore("lwngnx", index) == "lwngnx"
    assert restore("ln", index) == "ln"  # too short to tell


def test_a_shorter_spelling_or_a_lexicon_key_does_not_block_restoring() -> None:
    """A typed training word ("lngganan") and the normaliser's keys ("suwun") count too."""
    index = skeleton_index([["lngganan", "langganan", "palsu", "pulsa"]], ["suwun"])
    assert restore("lnggnn", index) == "langganan"
    assert restore("swn", index) == "suwun"
    assert restore("plsu", index) == "plsu"


def test_the_first_letter_the_lexicon_and_a_far_commoner_word_settle_a_shared_skeleton() -> None:
    """ "imgrs" is imigrasi (a villager keeps the first letter), "rsm" resmi whichever spelling
    the lexicon knows, "mnt" minta (52 uses against minat's 1), "kng" stays (kong 32, kang 3)."""
    words = (["imigrasi", "emigrasi", "resmi", "rasmi"] + ["minta"] * 52 + ["minat"]
             + ["kong"] * 32 + ["kang"] * 3 + ["king"] * 2)
    index = skeleton_index([words], {"rasmi": "resmi"})
    assert restore("imgrs", index) == "imigrasi"
    assert restore("rsm", index) == "resmi"
    assert restore("mnt", index) == "minta"
    assert restore("kng", index) == "kng"


@pytest.mark.parametrize(("text", "intent"), [
    ("lnggnn dong", "subscribe"), ("brhnt dong", "unsubscribe"), ("swn sanget lho", "thanks"),
    ("dh", "goodbye"), ("qwerty asdf", "out_of_scope"),
])
def test_typed_without_vowels_keeps_its_intent(shared_services: Services, text: str,
                                               intent: str) -> None:
    """Short messages without vowels were sent to out_of_scope; gibberish still is."""
    assert shared_services.nlu.parse(text)["intent"]["name"] == intent


@pytest.mark.parametrize(("ranking", "stands"), [
    ([("bot_help", 0.33), ("passport_info", 0.2), ("out_of_scope", 0.12)], True),
    ([("report_tip", 0.33), ("out_of_scope", 0.25)], False),  # out_of_scope close behind
    ([("greet", 0.24), ("thanks", 0.1), ("out_of_scope", 0.01)], False),  # below the floor
    ([("greet", 0.51), ("out_of_scope", 0.45)], True),  # confident enough on its own
    ([("greet", 0.41), ("out_of_scope", 0.39)], False),  # unsure, out_of_scope close
    ([("out_of_scope", 0.5), ("greet", 0.3)], False),
    ([("emergency_help", 0.38), ("out_of_scope", 0.31)], True),  # a miss costs too much
    ([("emergency_help", 0.24), ("out_of_scope", 0.1)], False),  # below the floor still
])
def test_an_unsure_intent_stands_only_well_ahead_of_out_of_scope(ranking: list,
                                                                  stands: bool) -> None:
    """A villager's unsure question keeps its intent; an off-topic look-alike does not."""
    engine = EmbeddedEngine.__new__(EmbeddedEngine)
    engine.threshold = FALLBACK_THRESHOLD
    assert engine._trusted([{"name": n, "confidence": c} for n, c in ranking]) is stands
