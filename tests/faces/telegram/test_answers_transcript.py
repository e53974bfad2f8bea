"""Every intent, as a villager types it: what arrives in the chat, through the emulator.

The messages are written for this file (informal, abbreviated, as villagers type); none is a
question variant of content/id/answers/ nor a line of nlu/data, so they test understanding,
not recall.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from bot.core.paths import content_dir
from bot.core.storage.models import UnansweredQuestion
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import MENU_INTENTS
from bot.emulator import Person
from bot.emulator.world import Event
from nlu.intents import FEATURE_INTENTS, INTENTS
from nlu.normalize import normalize
from tests.auxil.harness import Harness

BOOK = AnswerBook.load(content_dir() / "id" / "answers")
PREFIX = 40

# intent -> what a villager types; the bot answers from the intent's content.
ANSWERS = [
    ("goodbye", "ok min udahan ya, dah mau tidur"),
    ("thanks", "makasih bnyk ya min infonya membantu bgt"),
    ("bot_help", "bot ini bisa ngapain aja sih"),
    ("legal_route", "gmn cr kerja ke luar negri yg ga lewat calo"),
    ("pmi_requirements", "apa aja syarat2 klo mau jd tki, umur sy 19"),
    ("passport_info", "gmn cr bikin paspor buat kerja"),
    ("scam_signs", "apa aja tanda2 lowongan luar negri bohongan"),
    ("visa_info", "visa liburan bisa dipake buat kerja gk sih"),
    ("costs_fees", "brp duit yg hrs dikeluarin buat berangkat jd tki"),
    ("training_info", "klo mau ikut kursus sblm brgkt dmn tempatnya"),
    ("emergency_help", "tolong kakak sy dikurung di kamboja hp nya diambil"),
    ("contact_info", "nomor2 penting apa aja min"),
    ("trafficking_info", "perdagangan manusia tuh maksudnya gmn"),
    ("worker_rights", "majikan ga mau bayar gaji sy 3 bulan, hak sy apa"),
    ("migration_stats", "ada data resmi gak soal tki bermasalah"),
]
COUNTRIES = [
    ("Kamboja", "kerja di kamboja legal gak"),
    ("Jepang", "kerja di jepang gimana"),
]
GREETING = "pagi min, ada yg jaga?"
OFF_TOPIC = "jual pulsa murah kak"
HIGH_RISK_OFFER = (
    "Dicari admin online penempatan Kamboja, gaji 15jt/bulan, berangkat pakai visa turis dulu, "
    "tiket ditanggung. Paspor nanti dipegang kantor selama kontrak. Minat WA 0812-0000-7777"
)


def _assert_answer(reply: Event, intent: str, country: str | None = None) -> None:
    """The short text, its sources, Selengkapnya and 2-3 related buttons, then Menu."""
    answer = BOOK[intent]
    variant = answer.variant(country)
    assert reply.text.startswith(variant.short[:PREFIX]), reply.text
    if variant.sources:
        shown = "; ".join(s.brief() for s in variant.short_sources)
        assert "\nSumber: " + shown in reply.text
    else:
        assert "Sumber:" not in reply.text
    labels = reply.button_texts()
    if variant.full != variant.short:
        assert "Selengkapnya" in labels
    related = [BOOK[r].title for r in answer.related]
    assert 2 <= len(related) <= 3
    data = [b["callback_data"] for row in reply.buttons for b in row]
    assert labels[-len(related) - 1:] == [*related, "Menu"], labels
    assert data[-len(related) - 1:] == [*(f"ans:{r}" for r in answer.related), "menu"]


async def _read_more(harness: Harness, siti: Person, reply: Event) -> Event | str:
    """Press Selengkapnya: the bot's next message, or the refusal shown on the button."""
    before = len(harness.emu.world.callbacks)
    await siti.press(reply, label="Selengkapnya")

    def done() -> Event | str | None:
        for event in harness.emu.world.by_chat[siti.chat_id]:
            if event.seq > siti.mark and event.direction == "out":
                return event
        for query in list(harness.emu.world.callbacks.values())[before:]:
            if (query.get("answered") or {}).get("text"):
                return str(query["answered"]["text"])
        return None

    return await harness.emu.wait_for(done)


@pytest.mark.parametrize(("intent", "message"), ANSWERS, ids=[i for i, _m in ANSWERS])
async def test_a_question_gets_its_sourced_answer(harness: Harness, intent: str,
                                                 message: str) -> None:
    reply = await harness.villager().ask(message)
    _assert_answer(reply, intent)


READ_MORE = [pytest.param(i, m, id=i) for i, m in ANSWERS]


@pytest.mark.parametrize(("intent", "message"), READ_MORE)
async def test_read_more_gives_the_full_text(harness: Harness, intent: str,
                                             message: str) -> None:
    siti = harness.villager()
    reply = await siti.ask(message)
    full = await _read_more(harness, siti, reply)
    assert isinstance(full, Event), f"the button answered {full!r}"
    assert full.text.startswith(BOOK[intent].text.full[:PREFIX]), full.text
    assert len(full.text) > len(reply.text)


@pytest.mark.parametrize(("country", "message"), COUNTRIES, ids=[c for c, _m in COUNTRIES])
async def test_country_questions_get_that_countrys_text(harness: Harness, country: str,
                                                       message: str) -> None:
    siti = harness.villager()
    reply = await siti.ask(message)
    _assert_answer(reply, "country_info", country)
    assert BOOK["country_info"].countries[country].short != BOOK["country_info"].text.short
    full = await _read_more(harness, siti, reply)
    assert isinstance(full, Event), f"the button answered {full!r}"
    assert full.text.startswith(BOOK["country_info"].countries[country].full[:PREFIX])


async def test_a_procedure_question_naming_a_country_leads_on_to_that_country(
        harness: Harness) -> None:
    """'kerja ke taiwan gmn caranya' gets the legal route's steps, and its first button the
    Taiwan answer (its route, costs and pay), which the general steps do not give."""
    siti = harness.villager()
    reply = await siti.ask("sy mau krja ke taiwan gmn caranya")
    _assert_answer(reply, "legal_route")
    assert reply.button_texts()[0] == "Kerja di Taiwan"
    await siti.press(reply, label="Kerja di Taiwan")
    taiwan = await siti.reply()
    assert taiwan.text.startswith(BOOK["country_info"].countries["Taiwan"].short[:PREFIX])
    plain = await harness.villager("Budi").ask("gmn cr kerja ke luar negri yg ga lewat calo")
    assert not any(label.startswith("Kerja di") for label in plain.button_texts())


async def test_emergency_offers_to_contact_an_officer_now(harness: Harness) -> None:
    siti = harness.villager()
    reply = await siti.ask("tolong adek sy di myanmar ga boleh plg, dikunci di kantor")
    assert reply.text.startswith(BOOK["emergency_help"].text.short[:PREFIX])
    assert reply.button_texts()[0] == "Hubungi petugas sekarang"
    await siti.press(reply, label="Hubungi petugas sekarang")
    report = await siti.reply()
    assert "(1/3)" in report.text  # the emergency's own three questions, not the offer form


async def test_a_greeting_gets_the_welcome_and_menu(harness: Harness) -> None:
    reply = await harness.villager().ask(GREETING)
    assert "Desa Binaan" in reply.text and "Privasi" in reply.text
    assert reply.button_texts() == [BOOK[i].title for i in MENU_INTENTS]


async def test_off_topic_gets_a_polite_menu_and_is_kept_without_identity(
        harness: Harness) -> None:
    siti = harness.villager("Siti Aminah")
    budi = harness.villager("Budi")
    for person in (siti, budi):
        reply = await person.ask(OFF_TOPIC)
        assert reply.text.startswith(BOOK["out_of_scope"].text.short[:PREFIX]), reply.text
        assert "Sumber:" not in reply.text
        assert reply.button_texts() == [BOOK[i].title for i in MENU_INTENTS]

    with harness.services.db.session() as session:
        rows = list(session.scalars(select(UnansweredQuestion)))
        stored = [{c.name: getattr(row, c.name) for c in UnansweredQuestion.__table__.columns}
                  for row in rows]
    assert len(stored) == 1
    assert stored[0]["text"] == normalize(OFF_TOPIC)
    assert stored[0]["count"] == 2
    assert set(stored[0]) == {"id", "text", "count", "last_asked", "best_intent",
                              "reviewed"}
    blob = repr(stored)
    for person in (siti, budi):
        assert str(person.id) not in blob
    assert "Siti" not in blob and "Budi" not in blob


# -- the feature intents: the feature starts instead of an answer ----------------------------
async def _offer_verdict(harness: Harness, siti: Person, reply: Event) -> None:
    assert reply.text.startswith("RISIKO TINGGI"), reply.text
    assert "Laporkan tawaran ini" in reply.button_texts()


async def _offer_asked_for(harness: Harness, siti: Person, reply: Event) -> None:
    assert reply.text.startswith(BOOK["offer_check"].text.short[:PREFIX]), reply.text
    # Alone this would be a visa question; after the bot asked for the offer it is the offer.
    verdict = await siti.ask("kerja di kamboja, pake visa turis")
    assert verdict.text.startswith(("RISIKO TINGGI", "HATI-HATI")), verdict.text
    assert "Alasannya:" in verdict.text and "visa turis" in verdict.text


async def _agency_without_register(harness: Harness, siti: Person, reply: Event) -> None:
    assert "belum dimuat" in reply.text and "PT Sumber Rezeki" in reply.text, reply.text
    assert BOOK["agency_check"].text.short[:PREFIX] in reply.text
    assert "siskop2mi.bp2mi.go.id" in reply.text and "Sumber:" in reply.text


async def _report_started(harness: Harness, siti: Person, reply: Event) -> None:
    assert "(1/8)" in reply.text, reply.text


async def _quiz_sent(harness: Harness, siti: Person, reply: Event) -> None:
    assert reply.method == "sendPoll"
    assert reply.message["poll"]["type"] == "quiz"
    assert len(reply.message["poll"]["options"]) >= 2


async def _village_asked(harness: Harness, siti: Person, reply: Event) -> None:
    assert reply.text.startswith(BOOK["subscribe"].text.short[:PREFIX]), reply.text
    ask = await siti.reply()
    assert ask.text == "Ketik nama desa/kelurahan Anda."


async def _unsubscribed(harness: Harness, siti: Person, reply: Event) -> None:
    """Not subscribed: nothing to stop, said kindly; subscribed: the content's answer."""
    from sqlalchemy import select

    from bot.core.storage.models import Village
    from bot.domain.people.demo import DemoPeople, seed_demo
    from bot.domain.programme.membership import subscribe

    assert "Tidak ada yang perlu dihentikan" in reply.text, reply.text
    assert seed_demo(harness.services.db, DemoPeople(990001, "Petugas", 990002))
    with harness.services.db.session() as session:
        village_id = session.scalars(select(Village.id)).first()
    assert subscribe(harness.services.db, siti.chat_id, village_id)
    again = await siti.ask("udah jgn kirimin sy pesan lg")
    assert again.text.startswith(BOOK["unsubscribe"].text.short[:PREFIX]), again.text
    assert "Sumber:" in again.text


Check = Callable[[Harness, Person, Event], Awaitable[None]]
FEATURES: list[tuple[str, str, Check]] = [
    ("offer_check", HIGH_RISK_OFFER, _offer_verdict),
    ("offer_check", "mau cek tawaran kerja", _offer_asked_for),
    ("agency_check", "PT Sumber Rezeki resmi gak", _agency_without_register),
    ("report_tip", "sy mau laporin orang yg ngerekrut warga kampung ke luar negri",
     _report_started),
    ("quiz_start", "kuis yuk min", _quiz_sent),
    ("subscribe", "sy mau ikut pelajaran dr desa", _village_asked),
    ("unsubscribe", "udah jgn kirimin sy pesan lg", _unsubscribed),
]


@pytest.mark.parametrize(("intent", "message", "check"), FEATURES,
                         ids=[f"{i}-{c.__name__.strip('_')}" for i, _m, c in FEATURES])
async def test_a_feature_request_starts_the_feature(harness: Harness, intent: str, message: str,
                                                   check: Check) -> None:
    siti = harness.villager()
    reply = await siti.ask(message)
    await check(harness, siti, reply)


def test_every_intent_is_covered_here() -> None:
    covered = {i for i, _m in ANSWERS} | {i for i, _m, _c in FEATURES}
    covered |= {"country_info", "greet", "out_of_scope"}
    assert covered == set(INTENTS) and len(covered) == 24
    assert {i for i, _m, _c in FEATURES} == FEATURE_INTENTS
    messages = [m for _i, m in ANSWERS] + [m for _c, m in COUNTRIES]
    messages += [m for _i, m, _c in FEATURES] + [GREETING, OFF_TOPIC]
    variants = {normalize(q) for a in BOOK.answers.values() for q in a.questions}
    assert not [m for m in messages if normalize(m) in variants]


async def test_a_question_level_entry_answers_and_reads_more(harness: Harness) -> None:
    """The audit's unanswered ransom question gets its own entry, and its full text."""
    entry = BOOK["emergency_help"].entries["tebusan"]
    siti = harness.villager()
    reply = await siti.ask("keluarga saya diminta tebusan biar bisa pulang")
    assert reply.text.startswith(entry.text.short[:PREFIX]), reply.text
    assert "\nSumber: " in reply.text and "detikJabar" in reply.text
    assert "Hubungi petugas sekarang" in reply.button_texts()
    full = await _read_more(harness, siti, reply)
    assert isinstance(full, Event), f"the button answered {full!r}"
    assert full.text.startswith(entry.text.full[:PREFIX])
