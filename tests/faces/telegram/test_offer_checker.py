"""The offer checker and the agency check through the emulator, as a villager uses them."""

from __future__ import annotations

import pytest
from babel.dates import format_date
from sqlalchemy import select

from bot.core.paths import content_dir
from bot.core.storage.models import AgencyImport
from bot.domain.agencies.register import import_register
from bot.domain.answers.book import AnswerBook
from bot.domain.people import roles
from bot.emulator import Person
from bot.emulator.world import Event
from tests.auxil.harness import Harness
from tests.auxil.paths import FIXTURES
from tests.auxil.reporting import finish_report, join_as_officer

BOOK = AnswerBook.load(content_dir() / "id" / "answers")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x02\x80\x00\x00\x01\xe0" + bytes(40)

CAMBODIA_OFFER = (
    "Dicari admin online penempatan Kamboja, gaji 15jt/bulan, berangkat pakai visa turis dulu, "
    "tiket ditanggung. Paspor nanti dipegang kantor selama kontrak. Minat WA 0812-0000-7777"
)
PHNOM_PENH_OFFER = (
    "Loker CS online Phnom Penh gaji $1.200, tanpa pengalaman, visa turis, paspor disimpan "
    "perusahaan, berangkat minggu depan. DM kak"
)
KOREA_OFFER = (
    "Lowongan resmi G to G Korea lewat SISKOP2MI, daftar online, ikut ujian EPS-TOPIK dulu, "
    "biaya ujian USD 28 bayar di BNI. Proses di LTSA, visa kerja E-9."
)
HIGH = "RISIKO TINGGI"
LICENSED = ("“PT Contoh Sejahtera Mandiri (FIKTIF)” ada dalam daftar perusahaan penempatan "
            "berizin (izin FIKTIF/001/2024).")
REVOKED = "Izin “PT Rekaan Lintas Negeri (FIKTIF)” (FIKTIF/003/2022) sudah dicabut."
OFFICIAL_WAYS = ("siskop2mi.bp2mi.go.id", "SIP3MI", "Disnaker", "LTSA", "BP3MI")


def _assert_high_risk(reply: Event) -> None:
    assert reply.text.startswith(HIGH), reply.text
    assert "Alasannya:" in reply.text
    reasons = [line for line in reply.text.splitlines() if line.startswith("\u2022")]
    assert len(reasons) >= 3
    assert "visa turis" in reply.text
    assert "Yang sebaiknya dilakukan:" in reply.text
    assert "Sumber:" in reply.text
    assert reply.button_texts() == ["Laporkan tawaran ini", "Menu"]


# -- the offer checker ---------------------------------------------------------------------
async def test_a_pasted_high_risk_offer_gets_the_verdict(harness: Harness) -> None:
    reply = await harness.villager().ask(CAMBODIA_OFFER)
    _assert_high_risk(reply)
    assert "visa turis" in reply.text and "paspor" in reply.text.lower()


async def test_a_forwarded_offer_is_assessed(harness: Harness) -> None:
    siti = harness.villager()
    siti.mark = harness.emu.last_seq()
    await harness.emu.forward_text(siti.user, PHNOM_PENH_OFFER, "Agen Loker")
    _assert_high_risk(await siti.reply())


async def test_a_photo_with_the_offer_in_its_caption_is_assessed(harness: Harness) -> None:
    siti = harness.villager()
    siti.mark = harness.emu.last_seq()
    await harness.emu.send_photo(siti.user, PNG, caption=CAMBODIA_OFFER)
    _assert_high_risk(await siti.reply())


async def test_a_legitimate_offer_is_not_high_risk(harness: Harness) -> None:
    siti = harness.villager()
    siti.mark = harness.emu.last_seq()
    await harness.emu.forward_text(siti.user, KOREA_OFFER, "Info Disnaker")
    reply = await siti.reply()
    assert HIGH not in reply.text and "HATI-HATI" not in reply.text, reply.text
    assert reply.text.startswith("Saya tidak melihat tanda bahaya yang kuat")
    assert "Laporkan tawaran ini" not in reply.button_texts()


ZERO_COST_OFFER = (
    "PT Contoh Bina Karya (P3MI berizin) membuka lowongan pengasuh lansia ke Hong Kong. Zero "
    "cost: tiket, visa kerja, dan pelatihan ditanggung majikan sesuai Perban 9/2020. Gaji "
    "HK$5.100, perjanjian kerja, OPP di BP3MI."
)
AGENT_FEE_OFFER = (
    "Kerja kilang Johor, gaji RM1.900. Bayaran pengurusan 4 juta kasih ke agen kita di kampung "
    "sebelum berangkat, nanti agen yang urus semua."
)


async def test_a_lawful_zero_cost_offer_is_not_called_a_scam(harness: Harness) -> None:
    # Issue 15 / content audit §5: a free ticket through a licensed agency is lawful. Pasted,
    # the advert used to get "Maaf, soal itu saya belum bisa membantu" (the NLU's out_of_scope).
    reply = await harness.villager().ask(ZERO_COST_OFFER)
    assert reply.text.startswith("Saya tidak melihat tanda bahaya yang kuat"), reply.text
    assert "ditanggung" not in reply.text
    assert "Laporkan tawaran ini" not in reply.button_texts()


async def test_a_fee_to_a_village_agent_is_a_warning_with_its_reason(harness: Harness) -> None:
    reply = await harness.villager().ask(AGENT_FEE_OFFER)
    assert reply.text.startswith("HATI-HATI"), reply.text
    assert "agen, sponsor, atau tempat pelatihan" in reply.text
    assert "BP3MI" in reply.text and "Sumber:" in reply.text
    assert reply.button_texts() == ["Laporkan tawaran ini", "Menu"]


async def test_reporting_a_checked_offer_sends_it_to_the_officer(harness: Harness) -> None:
    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    officer = await join_as_officer(harness, "Petugas Satu", "tpi", username=True)
    officer.mark = harness.emu.last_seq()

    siti = harness.emu.person("Siti Rahayu", username="siti_r")
    verdict = await siti.ask(CAMBODIA_OFFER)
    _assert_high_risk(verdict)
    await siti.press(verdict, label="Laporkan tawaran ini")
    step = await siti.reply()
    assert "(1/8)" in step.text
    step = await siti.ask("Tetangga saya dapat tawaran ini dari grup WA")
    assert "(2/8)" in step.text
    assert "sudah terlampir" in step.text  # not asked to paste the offer she just checked
    await siti.press(step, label="Selesai")
    step = await siti.reply()
    assert "(3/8)" in step.text
    code = await finish_report(siti, "Mas Anto, WA 0812-0000-7777", "Kamboja", "neighbour",
                               "Dicari admin online penempatan Kamboja")

    alert = await officer.reply()
    assert code in alert.text
    assert CAMBODIA_OFFER in alert.text
    assert "Mas Anto" in alert.text
    for event in harness.emu.requests_to(officer.chat_id):
        blob = repr(event.params) + repr(event.message)
        assert "Siti" not in blob and "siti_r" not in blob and str(siti.id) not in blob


# -- the agency check with an imported register ------------------------------------------------
@pytest.fixture
def register(harness: Harness) -> str:
    """Import the fictional register; returns the import date as the bot writes it."""
    report = import_register(harness.services.db, FIXTURES / "agencies_fictional.csv")
    assert report.total == 4
    with harness.services.db.session() as session:
        imported = session.scalars(select(AgencyImport.imported_at)).one()
    return format_date(imported, "d MMMM y", locale="id")


def _assert_official_ways(reply: Event, imported: str) -> None:
    for way in OFFICIAL_WAYS:
        assert way in reply.text, way
    assert BOOK["agency_check"].text.short[:40] in reply.text
    assert f"(Daftar dimuat pada {imported}.)" in reply.text
    assert "Sumber:" in reply.text


async def _ask_by_name(siti: Person, name: str) -> Event:
    """The villager asks to check a company; the bot asks which; the villager types it."""
    ask = await siti.ask("min tolong cekin agen penyalur yg ngajak sy, resmi apa bukan")
    assert ask.text.startswith(BOOK["agency_check"].text.short[:40]), ask.text
    return await siti.ask(name)


async def test_a_licensed_agency_named_after_the_question(harness: Harness,
                                                         register: str) -> None:
    reply = await _ask_by_name(harness.villager(), "PT Contoh Sejahtera Mandiri (FIKTIF)")
    assert reply.text.startswith(LICENSED), reply.text
    _assert_official_ways(reply, register)


async def test_a_revoked_agency_named_after_the_question(harness: Harness,
                                                        register: str) -> None:
    reply = await _ask_by_name(harness.villager(), "PT Rekaan Lintas Negeri (FIKTIF)")
    assert reply.text.startswith(REVOKED), reply.text
    assert "tidak boleh merekrut" in reply.text
    _assert_official_ways(reply, register)


async def test_an_unknown_agency_is_not_confirmed(harness: Harness, register: str) -> None:
    reply = await harness.villager().ask("PT Abal Abal Sentosa resmi gak?")
    assert reply.text.startswith("Saya tidak menemukan “PT Abal Abal Sentosa”"), reply.text
    assert "berizin" in reply.text and "Mungkin maksud Anda" not in reply.text
    _assert_official_ways(reply, register)


@pytest.mark.parametrize(("message", "wording"), [
    pytest.param("PT Contoh Sejahtera Mandiri (FIKTIF) resmi gak?", LICENSED, id="licensed"),
    pytest.param("PT Rekaan Lintas Negeri (FIKTIF) resmi gak?", REVOKED, id="revoked"),
])
async def test_an_agency_asked_in_one_message(harness: Harness, register: str, message: str,
                                             wording: str) -> None:
    reply = await harness.villager().ask(message)
    assert reply.text.startswith(wording), reply.text
    _assert_official_ways(reply, register)


async def test_an_agency_typed_in_lower_case_is_checked_at_once(harness: Harness,
                                                                register: str) -> None:
    reply = await harness.villager().ask("pt contoh sejahtera mandiri fiktif resmi gak?")
    assert "ada dalam daftar perusahaan penempatan berizin" in reply.text, reply.text
