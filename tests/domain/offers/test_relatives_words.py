"""Offers retold by relatives in Javanese or chat Indonesian, and signs said in other words
(issue 15, offers_dev11's misses): a child "umur 15 ditawari", "umurnya gampang", "ojo kandha
karo wong tuwo", "akun cewe", "biaya LPK-nya 70 juta", "bayar total", "agen-e nyuwun",
"ra ono terjemahane", "tidak ada kantor", G-to-G rules misstated; and lawful texts that must
stay low (a tour with a travel agent's number, a relative's warning in Javanese). The texts are
written for these tests, not copied from the fixtures."""

from __future__ import annotations

import pytest

from bot.domain.offers.assessment import assess

HIGH = [
    # a child of 15 offered work abroad, her age "easy" to change (fact sheet 1a, 3k)
    ("Bu, anak saya umur 15 ditawari kerja pelayan kafe di Kuala Lumpur, gaji RM1.500.",
     "minor_recruited"),
    ("Kerja kilang di Penang gaji RM1.700, umurnya gampang, nanti di paspor ditulis 20 tahun.",
     "age_or_document_fraud"),
    # secrecy asked in Javanese, from the parents and the village head (fact sheet 1b Pasal 13b)
    ("Aku entuk kerjaan neng Hong Kong soko kenalan, tapi ojo kandha karo wong tuwo yo.",
     "secrecy_no_tell_family"),
    ("Kerja pabrik Taiwan, ojo kondo sopo2 termasuk pak lurah, mengko gagal.",
     "secrecy_no_tell_family"),
    # chatting with a woman's account: the scam compounds' job (fact sheet 3d)
    ("Kerjanya chatting pakai akun cewe, ajak orang top up, gaji 10jt + komisi.",
     "gambling_or_scam_job"),
]

MEDIUM = [
    # an LPK fee far above the LPK-SO figures (fact sheet 1k: Rp25-35 juta)
    ("Saya mau ke Jepang lewat LPK Sakura Fiktif, biaya LPK-nya 70 juta, dicicil 2x.",
     "fee_to_agent_or_training_centre"),
    ("Mau kerja pabrik Taiwan, disuruh bayar total 40jt sama PT-nya, gaji NT$27.000.",
     "upfront_fee"),
    # Javanese krama: the field agent asks, the contract is not there yet
    ("Kulo daftar kerja kebun Malaysia, agen-e nyuwun 10 juta, perjanjian kerja dereng wonten.",
     "fee_to_agent_or_training_centre"),
    # a contract in kanji with no translation, said in Javanese
    ("Kontrake tulisane kanji kabeh, ra ono terjemahane, kerja pabrik Jepang.",
     "contract_unreadable"),
    # a company name but no office to visit and check (fact sheet 1j)
    ("Loker kilang Johor gaji RM1.800, PT Contoh Fiktif Abadi, tidak ada kantor, daftar via WA.",
     "unverifiable_recruiter_abroad"),
    # the G-to-G scheme's rules misstated (fact sheet 1c: 18-39 years, at least SLTP)
    ("Program G to G Korea, usia sampai 50 tahun juga bisa, lulusan SD boleh.",
     "g2g_rules_misstated"),
]

LOW = [
    # a tour with its price and a travel agent's number offers no work
    "Paket wisata Phuket 3H2M Rp4,5jt/orang, tiket PP dan hotel. Hubungi 0812-0000-1111.",
    # a relative's warning in Javanese is no offer to go to Myanmar
    "Le, ojo lewat calo yo. Takon neng Disnaker wae. Nek ono sing ngajak neng Myanmar, ora usah "
    "digubris.",
    # the scheme's rules stated right
    "Program G to G Korea 2026: usia 18-39 tahun, pendidikan minimal SLTP, daftar di SISKOP2MI.",
]


@pytest.mark.parametrize(("text", "flag"), HIGH)
def test_signs_in_relatives_words_are_high(text: str, flag: str) -> None:
    result = assess(text)
    names = [f.name for f in result.flags]
    assert flag in names and result.risk == "high", names


@pytest.mark.parametrize(("text", "flag"), MEDIUM)
def test_single_signs_in_other_words_are_medium(text: str, flag: str) -> None:
    result = assess(text)
    names = [f.name for f in result.flags]
    assert flag in names and result.risk == "medium", names


@pytest.mark.parametrize("text", LOW)
def test_lawful_texts_stay_low(text: str) -> None:
    result = assess(text)
    assert result.risk == "low", [f.name for f in result.flags]


def test_a_recruiter_telling_to_ignore_warnings_is_still_an_offer() -> None:
    # "tidak usah digubris" is read as a warning only after "yang ngajak ...", not here
    text = "Kerja admin di Phnom Penh gaji 15jt, kalau ada yang bilang bahaya tidak usah digubris."
    assert assess(text).risk == "high"


@pytest.mark.parametrize("text", [
    "Jangan percaya calo, langsung sama saya aja, kerja admin di Kamboja gaji 15jt.",
    "Ojo lewat calo, langsung karo aku wae, kerja neng Kamboja gaji 15jt.",
])
def test_a_warning_that_offers_the_recruiter_instead_is_an_offer(text: str) -> None:
    assert assess(text).risk == "high"


def test_a_child_told_to_wait_is_not_recruited() -> None:
    text = "Anak saya umur 17 disuruh tunggu sampai 18 dulu baru boleh daftar ke Taiwan."
    assert "minor_recruited" not in [f.name for f in assess(text).flags]
