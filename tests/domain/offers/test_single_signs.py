"""Offers with one subtle sign of irregular recruitment are medium; lawful adverts that sound
hurried stay low; trips that offer no work are no job offers (issue 15, offers_sealed6's
misses). The texts are written for these tests, not copied from the fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.offers.assessment import assess, load_rules, normalize_offer
from bot.domain.offers.negation import negated
from bot.domain.offers.rules import default_path

SINGLE_SIGNS = [
    # the villager looked the company up in the register and it is not there (fact sheet 1j)
    ("Ada lowongan perawat lansia Taiwan gaji NT$29.000 dari PT Fiksi Sentosa. Sy sudah cari "
     "namanya di siskop2mi tp kok gak ada ya, kantornya juga susah dihubungi",
     "not_found_in_register"),
    ("LPK Contoh Jaya buka magang Jepang 3 taun, biaya 28jt. Pas dicek di so.kemnaker.go.id "
     "namanya ga ketemu, katanya numpang LPK lain", "not_found_in_register"),
    # a "buy the job" fee on the line after a negated requirement ("gak tato")
    ("Pabrik sepatu Taichung butuh 3 orang, gaji NT$28.590\nsehat, gak bertato\n"
     "BELI JOB 50JT bisa dicicil, proses lewat LTSA", "upfront_fee"),
    # a fee glued to "Rp" for a private training centre (BLK) before a domestic job
    ("Loker pengasuh anak Singapura gaji SGD 700. Sebelum masuk PT wajib pelatihan di BLK "
     "swasta kami selama 2 bulan penuh, bayar Rp6.000.000 di depan.",
     "fee_to_agent_or_training_centre"),
    # a recording system sold as a required card (fact sheet 1f)
    ("Info: calon PMI Malaysia wajib punya kartu e-PMI, bikin di kantor kami Rp1.500.000. "
     "Gaji kilang RM1.700.", "epmi_sold_as_required"),
    # a contract in English nobody explains before it is signed
    ("Kak, kontrak kerja Taiwan dari agensi semuanya bahasa inggris, aku tidak ngerti sama "
     "sekali. Katanya tanda tangan dulu, penjelasannya nanti setelah sampai.",
     "contract_unreadable"),
    # a work visa arranged by a friend (Javanese)
    ("Kerjo kebun sawit neng Sabah gaji RM1.600, visa kerjane mengko diurusi kancaku, "
     "kowe tinggal mangkat", "visa_via_acquaintance"),
    # the Korea G-to-G scheme sold through a person (fact sheet 1c)
    ("G to G Korea bisa lwt sy aja, 100% lolos, biaya 18jt, ga ush daftar online",
     "scheme_sold_by_a_person"),
    # no written contract: denied after the noun, or handed over only at the airport
    ("Kerja las di galangan kapal Johor gaji RM2.200, perjanjian kerja belum ada, cukup omongan "
     "dulu", "no_contract"),
    ("Pabrik kaca Taoyuan gaji NT$28.590, kontrak kerjanya baru dikasih pas di bandara",
     "no_contract"),
    # the EPS test said to be skippable, written "tes2"
    ("Kerja pabrik Korea visa E-9, ga perlu tes2 EPS, gaji 2,1 juta won",
     "required_test_skipped"),
]


@pytest.mark.parametrize(("text", "flag"), SINGLE_SIGNS)
def test_one_subtle_sign_is_medium(text: str, flag: str) -> None:
    result = assess(text)
    names = [f.name for f in result.flags]
    assert flag in names and result.risk == "medium", names


LAWFUL_BUT_HURRIED = [
    "PROSES KILAT! PT Contoh Sarana (P3MI berizin, SIP3MI di SISKOP2MI) pabrik Taiwan, gaji "
    "NT$28.590, perjanjian penempatan di LTSA, OPP di BP3MI, berangkat secepatnya.",
    "Kuota terbatas, buruan! Program G to G Korea 2026 sektor manufaktur, daftar sendiri di "
    "SISKOP2MI, ujian EPS-TOPIK.",
]


@pytest.mark.parametrize("text", LAWFUL_BUT_HURRIED)
def test_urgency_alone_does_not_raise_a_lawful_advert(text: str) -> None:
    result = assess(text)
    assert result.risk == "low", [f.name for f in result.flags]


def test_urgency_off_the_official_route_is_still_a_sign() -> None:
    result = assess("Kerja pabrik Malaysia gaji RM1.700, berangkat 3 hari lagi. WA 0812-0000-0000")
    assert "urgent_departure" in {f.name for f in result.flags}
    assert result.risk == "medium"


TRIPS = [
    "PAKET TOUR PHUKET 3D2N Rp5,5jt, tiket PP, hotel, tur pulau. Bukan kerja ya, murni liburan",
    "Paket umrah Ramadhan 14 hari, visa umrah, hotel dekat Masjidil Haram, tiket PP Jakarta-"
    "Madinah, pulang bareng rombongan",
    "Open trip Siem Reap Angkor Wat 4D3N, tiket pesawat PP, guide, Rp7jt",
]


@pytest.mark.parametrize("text", TRIPS)
def test_a_trip_that_offers_no_work_is_low(text: str) -> None:
    result = assess(text)
    assert result.risk == "low", [f.name for f in result.flags]


@pytest.mark.parametrize("text", [
    "Paket tour Bangkok gratis, nanti di sana kerja admin gaji 20jt",
    "Umrah sekalian kerja di Saudi, visa umrah, gaji 7 juta",
    "Liburan ke Phnom Penh 4D3N, tiket ditanggung bos",
])
def test_a_trip_that_mentions_work_is_still_an_offer(text: str) -> None:
    assert assess(text).risk == "high", [f.name for f in assess(text).flags]


def test_a_negation_does_not_reach_over_a_line() -> None:
    text = normalize_offer("sehat, gak tato\nbeli job 45jt")
    assert not negated(text, text.index("beli"))
    assert negated("tanpa biaya", 6)


def test_chat_spellings_with_punctuation_are_spelt_out() -> None:
    assert normalize_offer("pelatihan 3 bln, brgkt lwt PT") == \
        "pelatihan 3 bulan, berangkat lewat pt"
    assert "iso:kh" in normalize_offer("🇰🇭 admin")  # a flag emoji stays the country's token


def test_a_malaysian_factory_town_names_malaysia() -> None:
    facts = assess("Kilang sarung tangan di Klang butuh operator, gaji RM1.700").facts
    assert facts.destination == "Malaysia"


def test_pt_as_a_common_noun_is_no_company() -> None:
    facts = assess("Sebelum didaftarkan ke PT wajib ikut pelatihan, kerja Taiwan").facts
    assert facts.company is None


def test_job_only_must_be_true_or_false(tmp_path: Path) -> None:
    text = default_path().read_text(encoding="utf-8")
    broken = tmp_path / "red_flags.yml"
    broken.write_text(text.replace("    job_only: true", "    job_only: sometimes", 1),
                      encoding="utf-8")
    with pytest.raises(ValueError, match="job_only"):
        load_rules(broken)


@pytest.mark.parametrize("text", [
    # a lawful advert that says "no fee" beside the register's name is no failed lookup
    "PT Contoh Resmi (berizin) buka job order pabrik Taiwan, cek di SISKOP2MI, tidak ada biaya "
    "penempatan, gaji NT$28.590",
    # a relative's warning in Javanese: "ojo gelem lewat calo" is "jangan mau lewat calo"
    "Le, ojo gelem lewat calo sing ngajak nang Kamboja. Nek pengen kerja luar negeri takon "
    "Disnaker utawa LTSA wae",
])
def test_lawful_texts_that_name_the_register_or_warn_stay_low(text: str) -> None:
    assert assess(text).risk == "low", [f.name for f in assess(text).flags]
