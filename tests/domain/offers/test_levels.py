"""How the offer checker's signs combine into a level (content/id/offers/red_flags.yml,
`levels`): several signs of irregular recruitment stay medium, two signs of a scam compound's
lure or of control over the worker are high, one high sign is high; and ordinary lawful
adverts raise no medium sign at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.offers.assessment import assess, load_rules
from bot.domain.offers.rules import default_path

IRREGULAR_BUT_NOT_TRAFFICKING = [
    # fee to an unnamed agent + months of deductions + a contract in Mandarin
    "Lowongan pabrik Taiwan gaji NT$27.000. Biaya pengurusan 20 juta dibayar ke agen kami, "
    "6 bulan pertama gaji dipotong, kontrak pakai bahasa Mandarin semua.",
    # visa via a relative + Korea outside G to G + no contract yet
    "Paman saya di Korea bisa bantu urus visa kerja, kerja pabrik, kontrak nanti di sana.",
    # a training-centre fee + a hurried departure
    "Kerja restoran di Brunei, biaya pelatihan di LPK 8 juta, berangkat 5 hari lagi.",
    # ordinary Taiwan pay from a recruiter reachable only by chat + a "beli job" fee
    "Loker pabrik Taiwan gaji NT$27.000, beli job 40jt, bisa PG. WA 0812-0000-0101",
    # the employer keeps the passport "so it is not lost" + a fee at the office
    "Kerja kebun di Malaysia gaji RM1.700, biaya medical 3 juta bayar di kantor. Paspor "
    "disimpan majikan supaya tidak hilang.",
    # a free ticket to a named placement country + a contract signed only on arrival
    "Kerja pabrik Taiwan gaji NT$28.000, tiket ditanggung, kontrak kerja ditandatangani "
    "setelah sampai di Taiwan.",
    # a free ticket + a two-year lock-in, ordinary Malaysian pay
    "Kerja pabrik Malaysia gaji RM1.700, masa ikat kontrak 2 tahun, tiket ditanggung.",
    # a bare "operator" in a placement country is a factory operator, not the compounds' job
    "Dibutuhkan operator di Taiwan gaji NT$28.000, kontrak tanda tangan setelah sampai.",
    # costs "paid first" and taken back from pay: an advance, not a free ticket
    "Kerja kilang Malaysia, semua biaya ditanggung perusahaan dulu, nanti dicicil dari gaji "
    "6 bulan. Gaji RM1.700",
]


@pytest.mark.parametrize("text", IRREGULAR_BUT_NOT_TRAFFICKING)
def test_several_signs_of_irregular_recruitment_stay_medium(text: str) -> None:
    result = assess(text)
    mediums = [f.name for f in result.flags if f.severity == "medium"]
    assert len(mediums) >= 2, mediums  # the case really has two or more medium signs
    assert result.risk == "medium", [f.name for f in result.flags]


DANGEROUS_COMBINATIONS = [
    # lure + lure: an online job abroad at a salary far above what such work pays
    ("Kerja online di luar negeri, gaji 25 juta per bulan.",
     {"job_typical_of_scam_compounds", "pay_too_high_for_job"}),
    # lure + lure: no skill needed, implausible pay for the job and place
    ("Jaga toko di Malaysia, tanpa pengalaman, gaji RM7.000 sebulan.",
     {"no_experience_high_pay", "pay_too_high_for_job"}),
    # lure + lure: an "admin" job with a money target
    ("Loker admin luar negeri, target 50 juta per bulan.",
     {"job_typical_of_scam_compounds", "targets_and_excessive_hours"}),
    # lure + lure: work at a laptop for big pay, everything paid by the recruiter
    ("Loker luar negeri gaji 30jt/bulan, kerja santai depan laptop, tiket ditanggung.",
     {"job_typical_of_scam_compounds", "free_ticket_and_visa"}),
    # control + control: a fine for leaving and wages withheld
    ("Kerja pabrik di Malaysia, gaji ditahan sampai kontrak habis, denda 30 juta kalau "
     "berhenti sebelum kontrak selesai.", {"salary_withheld", "debt_bondage"}),
    # control + control: the trip turned into a debt, and a fine for running away
    ("Kerja di Malaysia, utang biaya 30jt dibayar dari gaji, kalau kabur didenda.",
     {"debt_for_departure_costs", "debt_bondage"}),
    # lure + control: work dressed as a semester-break internship, an advance to pay back
    ("Magang ke Jerman program libur semester, kerja gudang, dana talangan Rp40 juta.",
     {"student_or_internship_cover", "debt_for_departure_costs"}),
]


@pytest.mark.parametrize(("text", "signs"), DANGEROUS_COMBINATIONS)
def test_two_signs_of_lure_or_control_are_high(text: str, signs: set[str]) -> None:
    result = assess(text)
    assert signs <= {f.name for f in result.flags}
    assert not [f for f in result.flags if f.severity == "high"]  # high by combination only
    assert result.risk == "high"


def test_a_tourist_pass_to_work_is_high_and_skipping_disnaker_is_a_sign() -> None:
    tourist = assess("Kerja pabrik di Malaysia, masuk pakai paspor pelancong 30 hari.")
    skipping = assess("Ikut saya kerja di Brunei, gaji BND 800, tidak perlu ke Disnaker.")
    assert tourist.risk == "high" and tourist.facts.visa_type == "turis"
    assert skipping.risk == "medium"
    assert "skips_the_official_route" in {f.name for f in skipping.flags}


@pytest.mark.parametrize("text", [
    "Kerja kebun Malaysia. Paspor dititipkan ke majikan selama kerja.",
    "Kerja kebun Malaysia. Paspor disimpan majikan untuk keamanan.",
    "Kerja kebun Malaysia. Paspor disimpan majikan biar gak hilang.",
])
def test_a_passport_entrusted_to_the_employer_is_medium(text: str) -> None:
    assert assess(text).risk == "medium"


def test_a_passport_held_by_the_recruiter_or_with_the_phone_is_high() -> None:
    kept_safe = assess("Kerja ladang di Sabah. Paspor disimpan majikan supaya aman.")
    by_agent = assess("Kerja ladang di Sabah. Paspor disimpan agen sampai kontrak habis.")
    with_phone = assess("Kerja ladang di Sabah. Paspor dan HP disimpan majikan supaya aman.")
    assert kept_safe.risk == "medium"
    assert "passport_kept_by_employer" in {f.name for f in kept_safe.flags}
    assert by_agent.risk == "high" and with_phone.risk == "high"


def test_household_work_in_the_middle_east_is_high_but_other_work_there_is_not() -> None:
    household = assess("Dicari pengasuh lansia untuk keluarga di Kuwait, gaji 6 juta.")
    restaurant = assess("Dicari juru masak restoran di Arab Saudi, gaji SAR 2.500, visa kerja.")
    assert household.risk == "high"
    assert "Kuwait" in next(f.explain for f in household.flags
                            if f.name == "middle_east_household_work")
    assert "middle_east_household_work" not in {f.name for f in restaurant.flags}


ORDINARY_LAWFUL_ADVERTS = [
    # what licensed adverts say: a contract signed "later" at LTSA, a seafarer's contract in
    # English, twelve-hour factory shifts, a scheme's rule against changing employer
    "PT Contoh (P3MI berizin) operator pabrik Taiwan gaji NT$28.590, kontrak kerja nanti "
    "ditandatangani di LTSA sebelum berangkat.",
    "PT Contoh Bahari (P3MI berizin) kapal pesiar, kontrak kerja dalam bahasa Inggris, gaji "
    "USD 1.200.",
    "PT Contoh (P3MI berizin) pabrik Taiwan, kerja 12 jam sehari, libur 4 hari sebulan.",
    "PT Contoh (P3MI berizin) Jepang SSW, gaji ¥200.000, kontrak 5 tahun, tidak boleh pindah "
    "perusahaan selama 1 tahun pertama.",
    "Lowongan operator pabrik di Taiwan, tanpa biaya, gaji pokok NT$28.590 + lembur, kontrak "
    "3 tahun, asrama disediakan.",
    "Lowongan pekerja kebun sawit Malaysia, gaji RM1.700 + lembur, kontrak 2 tahun, asrama "
    "disediakan, tiket ditanggung majikan.",
    "Dicari ABK kapal ikan Korea, gaji USD 600, kontrak 2 tahun, makan dan asrama di kapal.",
    "Dibutuhkan sales promotion girl untuk mall di Malaysia, gaji RM1.900, kontrak 1 tahun.",
    "Lowongan customer service hotel di Jepang, visa kerja SSW, gaji 210.000 yen.",
    "Lowongan kerja di kapal pesiar, gaji USD 1.200 + tip, kontrak 8 bulan, sertifikat BST.",
    "Lowongan pengasuh lansia di Taiwan, gaji NT$20.000, tanpa biaya agensi, asrama.",
    "Pabrik elektronik Taiwan buka lowongan: gaji pokok NT$28.590, lembur dibayar, potongan "
    "makan dan asrama NT$2.500 per bulan.",
    "Lowongan pekerja konstruksi di Malaysia, gaji RM2.000 + lembur, jam kerja 8 jam, libur "
    "mingguan, asrama.",
    "Lowongan PRT Hong Kong, gaji HK$5.100, libur tiap Minggu, paspor dipegang sendiri.",
]


@pytest.mark.parametrize("text", ORDINARY_LAWFUL_ADVERTS)
def test_ordinary_lawful_adverts_raise_no_medium_sign(text: str) -> None:
    result = assess(text)
    assert [f.name for f in result.flags if f.severity != "low"] == []
    assert result.risk == "low"


LAWFUL_COSTS_THROUGH_THE_OFFICIAL_ROUTE = [
    "Magang ke Jepang lewat IM Japan (Kemnaker), biaya sekitar 12 juta untuk pelatihan dan "
    "asrama, seleksi di Disnaker.",
    "PT Contoh Jaya (P3MI berizin) lowongan pabrik Taiwan, biaya penempatan sesuai Kepka BP2MI "
    "maksimal Rp9.622.000, perjanjian kerja di LTSA.",
    "Biaya medical Rp1.200.000 transfer ke rekening PT Contoh Sehat (P3MI berizin), kerja "
    "pabrik Taiwan.",
    "Lowongan pabrik Taiwan via P3MI berizin PT Contoh Maju, kontrak dalam bahasa Mandarin dan "
    "Indonesia, gaji NT$28.590.",
    "P3MI berizin PT Fiksi Abadi: gaji pokok NT$28.590, potongan gaji untuk asrama dan makan "
    "NT$2.500 per bulan.",
    "Paspor diserahkan ke P3MI berizin PT Contoh Maju untuk pengurusan visa kerja, dikembalikan "
    "sebelum berangkat.",
    "Biaya penempatan Taiwan bisa dicicil lewat KUR PMI di BNI, potong gaji tiap bulan, P3MI "
    "berizin PT Fiksi Jaya.",
    "Lowongan admin kantor di Jepang, visa kerja Engineer/Specialist, P3MI berizin PT Contoh "
    "Global, gaji 230.000 yen.",
    "Disnaker: lowongan operator produksi Malaysia, gaji RM1.700, kerja 8 jam + lembur, urgent "
    "dibutuhkan 50 orang, daftar di LTSA.",
]


@pytest.mark.parametrize("text", LAWFUL_COSTS_THROUGH_THE_OFFICIAL_ROUTE)
def test_lawful_costs_through_the_official_route_are_low(text: str) -> None:
    result = assess(text)
    assert result.facts.official_route
    assert result.risk == "low", [f.name for f in result.flags]


@pytest.mark.parametrize("text", [
    "PT Contoh Kasih (P3MI berizin) lowongan PRT Hong Kong, biaya proses 9 juta.",
    "PT Contoh Kasih (P3MI berizin) lowongan PRT Hong Kong, 6 bulan pertama gaji dipotong.",
])
def test_a_licensed_agency_charging_for_a_zero_cost_job_is_still_medium(text: str) -> None:
    result = assess(text)
    assert result.risk == "medium", [f.name for f in result.flags]


IRREGULAR_THAT_LOOKED_LIKE_TRAFFICKING = [
    "Kerja pabrik Malaysia, biaya 6 juta transfer ke BRI atas nama PT Fiksi Karya.",
    "Kerja di Malaysia, dokumen dibuatkan agen, biaya 5 juta dibayar ke agen.",
    "Kerja pabrik Taiwan, tidak boleh keluar asrama setelah jam 10 malam, biaya agen 30 juta.",
    "Kerja kebun di Malaysia. Paspor dikumpulkan ke sponsor untuk proses visa, biaya "
    "pengurusan 8 juta ke sponsor.",
]


@pytest.mark.parametrize("text", IRREGULAR_THAT_LOOKED_LIKE_TRAFFICKING)
def test_no_high_sign_reads_into_ordinary_wording(text: str) -> None:
    result = assess(text)
    assert result.risk == "medium", [f.name for f in result.flags]


def test_a_pay_in_a_foreign_currency_is_judged_against_that_country() -> None:
    flags = {f.name for f in assess("Gaji pokok NT$28.590 + lembur, kontrak 3 tahun.").flags}
    assert "pay_too_high_for_job" not in flags
    assert "pay_too_high_for_job" in {f.name for f in assess("Gaji NT$90.000 sebulan.").flags}


def test_a_fee_taken_from_later_pay_is_not_an_upfront_fee() -> None:
    result = assess("PRT ke Hong Kong, gaji HK$5.100, 7 bulan pertama gaji dipotong HK$3.000 "
                    "untuk biaya agensi.")
    names = {f.name for f in result.flags}
    assert "pay_deducted_for_costs" in names and "upfront_fee" not in names


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("    kind: control\n    label: paspor", "    kind: trap\n    label: paspor", "kind"),
    ("at_least: 1}, {kinds: [lure, control], at_least: 2}]",
     "at_least: 1}, {kinds: [lure, bait], at_least: 2}]", "kinds"),
])
def test_a_broken_kind_names_the_file(tmp_path: Path, old: str, new: str, problem: str) -> None:
    text = default_path().read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "red_flags.yml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=problem) as error:
        load_rules(broken)
    assert str(broken) in str(error.value)
