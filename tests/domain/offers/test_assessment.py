"""The offer checker: fixture offers get their level, flags fire for the right reasons, the
facts are read correctly, and a broken rules file fails loudly."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.domain.offers.assessment import assess, load_rules, normalize_offer, offer_text
from bot.domain.offers.rules import default_path
from nlu.amounts import load_rates
from tests.auxil.paths import FIXTURES

OFFERS_FILE = FIXTURES / "offers.yml"
OFFERS = yaml.safe_load(OFFERS_FILE.read_text(encoding="utf-8"))["offers"]
LEVELS = ("high", "medium", "low")
RATES = load_rates()
MAX_MEDIUM_JUDGED_HIGH = 0.25  # tolerated (cautious), but counted and capped


def _matrix() -> Counter[tuple[str, str]]:
    return Counter((offer["expected"], assess(offer["text"]).risk) for offer in OFFERS)


def _format(matrix: Counter[tuple[str, str]]) -> str:
    rows = ["expected \\ assessed  " + "  ".join(f"{lv:>6}" for lv in LEVELS)]
    rows += [f"{e:>19}  " + "  ".join(f"{matrix[(e, a)]:>6}" for a in LEVELS) for e in LEVELS]
    return "\n".join(rows)


def test_the_fixture_file_is_big_and_balanced_enough() -> None:
    counts = Counter(offer["expected"] for offer in OFFERS)
    assert len(OFFERS) >= 60
    assert counts["high"] >= 30 and counts["medium"] >= 12 and counts["low"] >= 12
    assert all(set(offer) == {"text", "expected", "note"} for offer in OFFERS)
    assert "FICTIONAL" in OFFERS_FILE.read_text(encoding="utf-8").split("offers:")[0]


@pytest.mark.parametrize("offer", OFFERS, ids=lambda o: o["note"][:50])
def test_fixture_offer_gets_its_level(offer: dict[str, str]) -> None:
    result = assess(offer["text"])
    why = f"{result.risk} with {[f.name for f in result.flags]}"
    if offer["expected"] == "medium" and result.risk == "high":
        return  # cautious; counted and capped in test_confusion_matrix
    assert result.risk == offer["expected"], why


def test_confusion_matrix_has_no_missed_danger() -> None:
    matrix = _matrix()
    table = _format(matrix)
    print("\n" + table)  # visible with pytest -s; also in the failure message
    assert matrix[("high", "low")] == 0, table
    assert matrix[("high", "medium")] == 0, table
    mediums = sum(matrix[("medium", a)] for a in LEVELS)
    assert matrix[("medium", "high")] <= MAX_MEDIUM_JUDGED_HIGH * mediums, table


FLAG_CASES = [
    ("Kerja admin di Kamboja gaji 10jt", "no_placement_agreement_country"),
    ("Lowongan di Myawaddy", "no_placement_agreement_country"),
    ("Kerja restoran di Bangkok", "thailand_job_bait"),
    ("Kerja di Golden Triangle", "scam_compound_area"),
    ("Kerja di Laos bagian marketing", "scam_compound_area"),
    ("Berangkat pakai visa turis saja", "tourist_visa"),
    ("Masuk pakai visa kunjungan", "tourist_visa"),
    ("Bebas visa 30 hari, nanti visa kerja diurus di sana", "tourist_visa"),
    ("Tanpa visa kerja, langsung kerja", "tourist_visa"),
    ("Kerja pabrik, berangkat via Bangkok lalu dijemput", "transit_route"),
    ("Ke KL dulu, nanti terbang ke Phnom Penh", "transit_route"),
    ("Kerja di Malaysia, nanti dipindah ke negara lain", "transit_route"),
    ("Nanti nyebrang sungai ke kantor", "irregular_border_crossing"),
    ("Naik speedboat ke Johor tanpa paspor", "irregular_border_crossing"),
    ("Paspor dipegang agen selama kontrak", "passport_handover"),
    ("Serahkan paspor ke kantor kami", "passport_handover"),
    ("Biaya admin 3jt transfer ke rekening BCA a.n. Budi Fiktif", "upfront_fee_personal_account"),
    ("Biaya proses 2jt kirim lewat DANA 0812-0000-9999", "upfront_fee_personal_account"),
    ("Biaya pendaftaran 1,5 juta dibayar di kantor", "upfront_fee"),
    ("Dikasih uang saku 5 juta sebelum berangkat", "recruiter_pays_tip"),
    ("Gaji dipotong 6 bulan untuk biaya, potong gaji tiap bulan", "pay_deducted_for_costs"),
    ("Denda 50 juta kalau pulang sebelum kontrak habis", "debt_bondage"),
    ("Gaji ditahan perusahaan sampai kontrak selesai", "salary_withheld"),
    ("Biaya proses 6 juta dibayar ke agen", "fee_to_agent_or_training_centre"),
    ("Bayaran pengurusan 4 juta kasih ke agen kita di kampung", "fee_to_agent_or_training_centre"),
    ("Biaya pelatihan di LPK 15 juta dibayar di muka", "fee_to_agent_or_training_centre"),
    ("Gaji 5 bulan pertama dipotong buat ganti biaya berangkat", "pay_deducted_for_costs"),
    ("Gaji 3 bulan pertama untuk bayar agen", "pay_deducted_for_costs"),
    ("Kontraknya pakai bahasa Mandarin semua, tinggal tanda tangan", "contract_unreadable"),
    ("Kontrak bahasa Korea, tidak ada terjemahan", "contract_unreadable"),
    ("Visa kerja bisa diurus sama kenalannya di imigrasi sana", "visa_via_acquaintance"),
    ("Temen aku yang di Hongkong bisa bantu uruskan visa kerja", "visa_via_acquaintance"),
    ("Setelah sampai dijemput taksi, perjalanan 4 jam ke lokasi kantor",
     "long_ride_to_secret_site"),
    ("Umur 17 tahun bisa, nanti umur di paspor dinaikkan", "age_or_document_fraud"),
    ("Lewat jalan tikus dari perbatasan biar cepat", "irregular_border_crossing"),
    ("Program Ferienjob ke Jerman untuk mahasiswa, gaji 20 juta", "student_or_internship_cover"),
    ("Berangkat pakai visa pelajar, nanti kerja di restoran", "student_or_internship_cover"),
    ("Target harian 30 member, kalau tidak capai target didenda", "targets_and_excessive_hours"),
    ("Kerja 16 jam sehari tanpa libur", "targets_and_excessive_hours"),
    ("Adik saya dipukuli dan disetrum kalau tidak dapat korban", "violence_or_threats"),
    ("Ajak teman 3 orang dapat bonus 2 juta", "recruit_others_for_bonus"),
    ("Kalau mau pulang harus bawa pengganti dulu", "recruit_others_for_bonus"),
    ("Tiap bulan dipotong USD 100 selama 6 bulan untuk dokumen", "pay_deducted_for_costs"),
    ("HP dikumpulkan perusahaan, tidak boleh keluar asrama", "restricted_movement"),
    ("Jangan bilang ke keluarga dulu ya", "secrecy_no_tell_family"),
    ("Nanti di imigrasi bilang mau liburan ya", "coached_to_lie_to_immigration"),
    ("Umur bisa diatur, 16 tahun juga bisa", "age_or_document_fraud"),
    ("KTP bisa dibuatkan kalau belum punya", "age_or_document_fraud"),
    ("Loker admin judi online", "gambling_or_scam_job"),
    ("Butuh operator slot online", "gambling_or_scam_job"),
    ("Loker admin luar negeri", "job_typical_of_scam_compounds"),
    ("Customer service di Kamboja", "job_typical_of_scam_compounds"),
    ("Kerja luar negeri gaji 20jt", "pay_too_high_for_job"),
    ("Kerja di Malaysia gaji RM5.000 sebulan", "pay_too_high_for_job"),
    ("Tanpa pengalaman, gaji $1.500/bln", "no_experience_high_pay"),
    ("Syarat mudah, gaji besar", "no_experience_high_pay"),
    ("Tidak perlu pengalaman", "easy_requirements"),
    ("Tiket dan visa ditanggung perusahaan", "free_ticket_and_visa"),
    ("Free tiket pesawat", "free_ticket_and_visa"),
    ("Tanpa kontrak, langsung kerja", "no_contract"),
    ("Kontrak kerja nanti di sana", "no_contract"),
    ("Berangkat minggu ini", "urgent_departure"),
    ("Proses cepat, langsung terbang", "urgent_departure"),
    ("Slot terbatas, buruan!", "pressure_tactics"),
    ("Info lengkap DM ya, WA juga bisa", "recruited_via_social_media_dm"),
    ("Interview via Zoom", "remote_interview_only"),
    ("Lowongan kerja pabrik di luar negeri, hubungi saya", "no_company_named"),
    ("Kirim foto KTP dan KK ke WA", "personal_data_request"),
    ("Berangkat lewat calo kenalan saya", "broker_or_sponsor"),
    ("Kerja pabrik di Korea, hubungi kantor", "korea_outside_g2g"),
    ("Lowongan guru di Manila", "scam_case_country"),
    # how adverts really write the medium signs: slang, abbreviations, word order
    ("Job Hongkong, fee agensi 15jt sebelum terbang", "fee_to_agent_or_training_centre"),
    ("Duit proses 8jt kasih ke agen sebelum berangkat", "fee_to_agent_or_training_centre"),
    ("Training 3 bulan di LPK Contoh Rp25 juta", "fee_to_agent_or_training_centre"),
    ("Beli job Taiwan pabrik 45jt langsung dapat majikan", "upfront_fee"),
    ("Kosong biaya, bayar lewat potongan 8 bulan gaji", "pay_deducted_for_costs"),
    ("Gaji bulan 1-5 dipotong untuk biaya keberangkatan", "pay_deducted_for_costs"),
    ("Bisa sistem PG, berangkat dulu bayar belakangan", "pay_deducted_for_costs"),
    ("Kontrak pake bahasa inggris, kamu tanda tangan aja ya", "contract_unreadable"),
    ("Permit nanti dibantu saudara di sana", "visa_via_acquaintance"),
    ("Visa diurus teman saya yang sudah lama di sana", "visa_via_acquaintance"),
    ("Masuk pakai visa melancong, kerja kilang", "tourist_visa"),
    ("Berangkat sebagai turis dulu, nanti kerja", "tourist_visa"),
    ("Masuk Malaysia pakai cop 30 hari, kerja restoran", "tourist_visa"),
    ("Kalau kabur sebelum 2 tahun didenda 30 juta", "debt_bondage"),
    ("Tiket ditalangi agen, dihitung utang", "debt_for_departure_costs"),
    ("Hutang tiket 12 juta dibayar dari gaji", "debt_for_departure_costs"),
    ("Kerja kilang Malaysia gaji RM1.700, inbox saya kak", "unverifiable_recruiter_abroad"),
    ("Taiwan butuh perawat lansia gaji 20 juta, hubungi pak Budi 0812-0000-0022",
     "unverifiable_recruiter_abroad"),
    ("Magang libur semester ke Jerman, kerja gudang", "student_or_internship_cover"),
]


@pytest.mark.parametrize(("text", "flag"), FLAG_CASES)
def test_flag_fires(text: str, flag: str) -> None:
    assert flag in {f.name for f in assess(text).flags}


NEGATED_CASES = [
    ("Kerja di Taiwan, tanpa biaya pendaftaran, visa kerja", "upfront_fee"),
    ("Tidak ada biaya admin sama sekali", "upfront_fee"),
    ("Visa kerja resmi, bukan visa turis", "tourist_visa"),
    ("Paspor dipegang sendiri oleh pekerja", "passport_handover"),
    ("Paspor tidak ditahan", "passport_handover"),
    ("Tiket & visa free, kerja di Malaysia", "tourist_visa"),
    ("Gaji tanpa potongan gaji", "pay_deducted_for_costs"),
    ("Tidak ada utang, tiket dibayar majikan", "debt_for_departure_costs"),
    ("PT Contoh Migran (P3MI berizin), kerja pabrik Taiwan gaji NT$28.590, WA 0812-0000-0001",
     "unverifiable_recruiter_abroad"),
    ("Kontrak dwibahasa mandarin dan indonesia, tinggal tanda tangan di LTSA",
     "contract_unreadable"),
    ("Perjanjian kerja ditandatangani di LTSA", "no_contract"),
    ("Hubungi admin kantor untuk info lowongan Taiwan", "job_typical_of_scam_compounds"),
    ("Slot terbatas untuk pendaftaran", "gambling_or_scam_job"),
    ("Waspada lowongan ke Kamboja! Daftar resmi lewat SISKOP2MI.",
     "no_placement_agreement_country"),
    ("Lowongan Korea lewat G to G, daftar di SISKOP2MI", "korea_outside_g2g"),
    ("Transit di Kuala Lumpur lalu ke Arab Saudi, P3MI resmi, visa kerja", "transit_route"),
    # The content audit of 2026-12-01 (section 5): lawful offers the old rules flagged.
    ("PRT Hong Kong lewat P3MI berizin, tiket dan visa kerja ditanggung majikan sesuai Perban "
     "9/2020", "free_ticket_and_visa"),
    ("PRT Hong Kong lewat P3MI berizin, tiket dan visa kerja ditanggung majikan sesuai Perban "
     "9/2020", "free_ticket_off_route"),
    ("Kerja kilang Malaysia, biaya ditanggung perusahaan dulu, nanti dicicil dari gaji",
     "free_ticket_off_route"),
    ("Terbang ke Kuala Lumpur lalu dijemput bus perusahaan lewat jalan darat ke pabrik",
     "irregular_border_crossing"),
    ("Pekerja pulang pergi lewat darat dari Johor Bahru", "irregular_border_crossing"),
    ("Kerja pabrik di Korea, gaji 2000 dolar", "pay_too_high_for_job"),
    ("Lowongan operator produksi pabrik Taiwan, visa kerja", "job_typical_of_scam_compounds"),
    ("Uang saku selama pelatihan di BLK", "recruiter_pays_tip"),
    ("Kerja hotel di Kamboja, ada casino di dekatnya", "gambling_or_scam_job"),
    ("Tidak ada potongan gaji, biaya ditanggung majikan", "pay_deducted_for_costs"),
    ("Biaya pelatihan di LPK-SO terdaftar di Kemnaker", "fee_to_agent_or_training_centre"),
    ("Visa kerja diurus lewat LTSA, dibantu saudara", "visa_via_acquaintance"),
    ("Magang resmi ke Jepang lewat IM Japan, seleksi di Disnaker", "student_or_internship_cover"),
    ("Kerja 8 jam sehari, libur 2 hari seminggu", "targets_and_excessive_hours"),
]


@pytest.mark.parametrize(("text", "flag"), NEGATED_CASES)
def test_flag_does_not_fire_on_denials_and_warnings(text: str, flag: str) -> None:
    assert flag not in {f.name for f in assess(text).flags}


def test_the_brief_example_is_high_with_its_facts() -> None:
    result = assess("LOKER ADMIN KAMBOJA GAJI 15JT, visa turis, tiket ditanggung, berangkat "
                    "minggu ini, paspor dipegang agen. DM/WA 0812-0000-1001")
    facts = result.facts
    assert result.risk == "high"
    assert facts.destination == "Kamboja" and facts.job == "admin"
    assert facts.pay_idr_month == 15_000_000
    assert facts.visa_type == "turis" and facts.passport_handover and facts.urgent
    assert facts.channel == "whatsapp" and facts.company is None and facts.licensed is None
    assert result.flags[0].severity == "high"
    assert result.summary.startswith("Tawaran ini BERISIKO TINGGI") and "\n" not in result.summary
    assert any("SISKOP2MI" in step for step in result.advice)
    assert any("110" in step for step in result.advice)


@pytest.mark.parametrize(("text", "destination", "transit"), [
    ("Berangkat via Bangkok, dijemput ke kantor", None, ["Thailand"]),
    ("Ke KL dulu, nanti terbang ke Phnom Penh", "Kamboja", ["Malaysia"]),
    ("Kerja di Thailand lalu dipindah ke Kamboja", "Thailand", []),
    ("jkt -> bangkok -> poipet", "Kamboja", ["Thailand"]),
    ("🇰🇭 butuh admin", "Kamboja", []),
    ("LOKER K4MB0JA", "Kamboja", []),
    ("Kerja di Kambojah", "Kamboja", []),
    ("kerja di negeri jiran", "Malaysia", []),
])
def test_destination_and_transit(text: str, destination: str | None,
                                 transit: list[str]) -> None:
    facts = assess(text).facts
    assert (facts.destination, facts.transit) == (destination, transit)


@pytest.mark.parametrize(("text", "pay"), [
    ("Gaji $1.500/bln", 1500 * RATES["USD"]),
    ("gaji 1500 dolar", 1500 * RATES["USD"]),
    ("ADMIN KAMBOJA 15JT", 15e6),
    ("Gaji 10-15jt, biaya admin 2jt", 15e6),
    ("Gaji RM90 sehari", 90 * RATES["MYR"] * 26),
    ("Biaya admin 2jt", None),
    ("Target 60 juta per bulan", None),
])
def test_monthly_pay_in_rupiah(text: str, pay: float | None) -> None:
    assert assess(text).facts.pay_idr_month == (pytest.approx(pay) if pay else None)


def test_fees_and_who_receives_them() -> None:
    facts = assess("Biaya admin 3jt transfer ke rek BCA a.n. Budi Fiktif").facts
    assert facts.fees[0] == "biaya admin 3jt" and facts.fee_receiver == "rekening pribadi"
    assert assess("Tiket ditanggung, tanpa biaya penempatan").facts.fees == []


@pytest.mark.parametrize("denied", [
    "biaya penempatan tidak dibebankan kepada pekerja",  # Perban 9/2020's own wording
    "biaya pelatihan dan visa tidak dipungut dari calon pekerja",
    "biaya keberangkatan dibebankan kepada pemberi kerja",
    "biaya paspor, medical, dan asuransi tidak dibebankan kepada CPMI",  # a list, then the denial
])
def test_a_cost_named_only_to_say_the_worker_does_not_pay_it_is_no_fee(denied: str) -> None:
    """A licensed agency placing a carer in Hong Kong at no cost is a lawful offer: calling
    it a fee is the false alarm the audit warned of (Perban 9/2020's zero-cost jobs)."""
    result = assess(f"PT Contoh Sejahtera (P3MI berizin) pengasuh lansia Hong Kong, {denied}.")
    assert result.facts.fees == [] and result.risk == "low"


@pytest.mark.parametrize("borne", [
    "biaya tiket tidak ditanggung majikan", "biaya admin tidak dibebankan ke majikan",
    "biaya proses Rp4 juta tidak dikembalikan",
    "uang formulir, tidak dikenakan biaya lain",  # only the other costs are denied
])
def test_a_cost_the_worker_bears_stays_a_fee(borne: str) -> None:
    result = assess(f"Kerja pengasuh lansia Hong Kong lewat sponsor, {borne}.")
    assert result.facts.fees and result.risk == "medium"


@pytest.mark.parametrize(("text", "contract"), [
    ("Perjanjian kerja ditandatangani di LTSA", True), ("Tanpa kontrak", False),
    ("Kontrak nyusul setelah sampai", False), ("Gaji 15jt", None),
])
def test_contract(text: str, contract: bool | None) -> None:
    assert assess(text).facts.contract is contract


def test_the_injected_register_decides_on_licences() -> None:
    text = "PT Rekaan Lintas Negeri membuka lowongan pabrik Taiwan, visa kerja."
    asked: list[str] = []

    def register(name: str) -> bool | None:
        asked.append(name)
        return False

    result = assess(text, is_licensed=register)
    assert asked == ["PT Rekaan Lintas Negeri"]
    assert result.facts.licensed is False and result.risk == "high"
    assert "unlicensed_or_no_company" in {f.name for f in result.flags}
    assert assess(text, is_licensed=lambda name: True).risk == "low"


@pytest.mark.parametrize("warning", [
    "Jgn percaya yg ngajak kerja ke Kamboja, itu bukan jalur resmi.",
    "Ulah percaya ka nu ngajakan damel di Kamboja.",  # Sundanese "don't trust"
    "Ojo percoyo wong sing ngajak nyambut gawe nang Kamboja.",  # Javanese
    "Materi pagi ini: bahaya tawaran kerja ke Kamboja dan cara cek SISKOP2MI.",
])
def test_a_warning_in_other_words_or_languages_is_not_an_offer(warning: str) -> None:
    text = normalize_offer("Lowongan operator pabrik Taiwan lewat LTSA dan P3MI berizin, "
                           "gaji sesuai UMR Taiwan. " + warning)
    assert "kamboja" not in offer_text(text)
    assert "no_placement_agreement_country" not in {f.name for f in assess(text).flags}


def test_warning_sentences_are_not_offers() -> None:
    text = normalize_offer("⚠️ Waspada loker Kamboja!\nLowongan resmi Taiwan via LTSA.")
    assert "kamboja" not in offer_text(text)
    assert "taiwan" in offer_text(text)
    kept = offer_text(normalize_offer("Jangan percaya hoax! Kerja di Kamboja aman 100%"))
    assert "kamboja" in kept


def test_empty_text_is_low() -> None:
    result = assess("")
    assert result.risk == "low" and result.flags == []


def test_every_flag_cites_a_source_with_a_url() -> None:
    rules = load_rules()
    assert len(rules.flags) >= 15
    for flag in rules.flags:
        assert flag.source["url"].startswith(("http://", "https://")), flag.name
        assert flag.source["publisher"] and flag.source["title"], flag.name
        assert re.fullmatch(r"[a-z][a-z0-9_]*", flag.name)
        assert flag.severity in {"high", "medium", "low"}


def test_rules_are_cached() -> None:
    assert load_rules() is load_rules(default_path())


BROKEN = [
    ("    severity: high\n    label: visa turis", "    severity: hgh\n    label: visa turis",
     "tourist_visa", "severity"),
    ("      - facts: {visa_type: [turis, kunjungan]}", "      - facts: {visa_kind: [turis]}",
     "tourist_visa", "facts"),
    ("      - countries: [Thailand]", "      - countries: [Thailandia]",
     "thailand_job_bait", "country"),
    ("      - check: transit_elsewhere", "      - check: transit_somewhere",
     "transit_route", "check"),
    ("'tanpa paspor'", "'tanpa (paspor'", "irregular_border_crossing", "pattern"),
    ("      url: https://jagatbisnis.com", "      url: jagatbisnis.com",
     "scam_compound_area", "url"),
]


@pytest.mark.parametrize(("old", "new", "flag", "problem"), BROKEN,
                         ids=[case[2] + "-" + case[3] for case in BROKEN])
def test_a_broken_rule_names_the_file_and_the_flag(tmp_path: Path, old: str, new: str,
                                                   flag: str, problem: str) -> None:
    text = default_path().read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "red_flags.yml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(flag)) as error:
        load_rules(broken)
    assert str(broken) in str(error.value) and problem in str(error.value)
    with pytest.raises(ValueError):
        assess("Kerja di Kamboja", rules_path=broken)


def test_a_yaml_syntax_error_is_a_value_error(tmp_path: Path) -> None:
    broken = tmp_path / "red_flags.yml"
    broken.write_text("flags: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"red_flags\.yml"):
        load_rules(broken)
