"""Hostile, odd and unexpected input: a sensible answer or silence on purpose, never a crash.

A crash shows in three places, and every test here looks at all three: the central error
handler logs at ERROR (`bot.handlers.errors`), it sends the villager its apology ("Maaf, ada
gangguan di sistem kami"), and a reply Telegram would refuse lands in `emulator.rejected`
(checked by the harness fixture at teardown).

Whether the bot has finished with an update is read from the Application itself (see
`Finished`), so "ignored on purpose" is checked without sleeping: the update was handled,
and nothing was sent.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
import random
import string
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from telegram import Update

from bot.db.models import UnansweredQuestion
from bot.domain import roles
from bot.domain.village_import import import_villages
from bot.emulator import Emulator, Person
from bot.emulator.methods import new_callback_id
from bot.emulator.people import COMMAND_RE
from bot.services import BotApplication
from tests.auxil.harness import Harness

FIXTURES = Path(__file__).parents[1] / "fixtures"
APOLOGY = "Maaf, ada gangguan di sistem kami"
ONLY_TEXT = "Saya hanya bisa membaca pesan teks"
IN_WORDS = "Silakan ketik pertanyaan Anda dengan kata-kata."
NOT_VALID = "Tombol ini sudah tidak berlaku."
NO_SUCH_REPORT = "Saya tidak menemukan laporan dengan kode itu di antara laporan Anda."
BOT_USERNAME = "desabinaan_bot"
# Commands that answer in a private chat whoever sends them (refusals included).
ANSWERING = {"start", "bantuan", "help", "menu", "lapor", "status", "batal", "desa", "kuis",
             "berhenti", "laporan", "pelajaran", "kampanye", "statistik", "hubungkan"}


# -- reading the fixture ------------------------------------------------------------------
def decode_line(line: str) -> str:
    """A fixture line as the text to send: `ESC:` lines hold backslash escapes."""
    if line.startswith("ESC:"):
        return codecs.decode(line.removeprefix("ESC:"), "unicode_escape")
    return line


def naughty_strings() -> list[tuple[int, str, str]]:
    """(line number, raw line, text to send) for every line of the fixture."""
    path = FIXTURES / "naughty_strings.txt"
    rows = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw == "":
            continue
        text = decode_line(raw)
        assert "\x00" not in text, f"line {number} must be NUL-free"
        rows.append((number, raw, text))
    return rows


NAUGHTY = naughty_strings()
# Lines that once crashed the bot (case-folding in the country matcher), each tested alone.
KNOWN_BUGS = {"MALAYSİA": "", "kerja di malayſia gaji 15jt": ""}
CHUNK = 12


def _chunks() -> list[Any]:
    plain = [row for row in NAUGHTY if row[1] not in KNOWN_BUGS]
    params = [pytest.param(plain[i:i + CHUNK],
                           id=f"lines-{plain[i][0]}-{plain[min(i + CHUNK, len(plain)) - 1][0]}")
              for i in range(0, len(plain), CHUNK)]
    params += [pytest.param([row], id=f"line-{row[0]}-case-folding")
               for row in NAUGHTY if row[1] in KNOWN_BUGS]
    return params


def must_answer(text: str) -> bool:
    """Text always gets an answer; a command only when it is one of ours, addressed to us."""
    match = COMMAND_RE.match(text)
    if not match:
        return True
    name, _, target = match.group(0)[1:].partition("@")
    if target and target.lower() != BOT_USERNAME:
        return False
    return name.lower() in ANSWERING


# -- watching the bot ---------------------------------------------------------------------
class Finished:
    """The update ids the Application has completely handled, error handlers included."""

    def __init__(self, app: BotApplication) -> None:
        self.ids: set[int] = set()
        self._cond = asyncio.Condition()
        processor = app.update_processor
        inner = processor.do_process_update

        async def recording(update: object, coroutine: Any) -> None:
            try:
                await inner(update, coroutine)
            finally:
                if isinstance(update, Update):
                    async with self._cond:
                        self.ids.add(update.update_id)
                        self._cond.notify_all()

        processor.do_process_update = recording  # type: ignore[method-assign]

    async def wait(self, update_ids: Iterable[int], timeout: float = 30.0) -> None:
        """Wait until every one of `update_ids` was handled."""
        wanted = {u for u in update_ids if u}
        async with self._cond:
            await asyncio.wait_for(self._cond.wait_for(lambda: wanted <= self.ids), timeout)


@pytest.fixture
async def finished(harness: Harness) -> Finished:
    return Finished(harness.app)


def bot_texts(emu: Emulator, chat_id: int, after: int = 0) -> list[str]:
    """What the bot sent (or edited) in a chat after transcript position `after`."""
    return [e.text for e in emu.world.by_chat[chat_id]
            if e.seq > after and e.direction in {"out", "edit"}]


def assert_no_crash(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """No apology anywhere, nothing logged at ERROR (by the error handler or anyone)."""
    apologies = [(e.chat_id, e.params) for e in harness.emu.world.transcript
                 if e.direction == "out" and APOLOGY in e.text]
    assert not apologies, f"the bot apologised (a handler crashed): {apologies}"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    crashes = [f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info
               else f"{r.name}: {r.getMessage()}" for r in errors]
    assert not [r for r in errors if r.name == "bot.handlers.errors"], crashes
    assert not errors, crashes


async def say_all(harness: Harness, finished: Finished,
                  texts: list[str]) -> list[tuple[Person, list[str]]]:
    """Send each text from its own new villager at once; wait until all were handled."""
    people, ids = [], []
    for i, text in enumerate(texts):
        person = harness.villager(f"Warga {i}")
        ids.append(await person.say(text))
        people.append(person)
    await finished.wait(ids)
    return [(p, bot_texts(harness.emu, p.chat_id)) for p in people]


# -- plain text that is odd ---------------------------------------------------------------
async def test_blank_text_and_a_lone_emoji_get_an_answer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    blanks = [" ", "   \t  ", "\n\n", "\u3000", "\u00a0\u2003"]
    emoji = ["😀", "🙏", "👍🏽", "🇮🇩"]
    answers = await say_all(harness, finished, blanks + emoji)
    for (_person, texts), sent in zip(answers, blanks + emoji, strict=True):
        assert texts, f"no answer to {sent!r}"
        if sent in blanks:
            assert texts == [IN_WORDS], (sent, texts)
    assert_no_crash(harness, caplog)


async def test_a_text_of_4096_characters_gets_an_answer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    sentence = "Saya ditawari kerja di Malaysia gaji 15jt per bulan, bayar DP 5jt dulu. "
    offer = (sentence * 100)[:4096]
    one_word = "a" * 4096
    emoji = ("😀" * 2048)  # 4096 UTF-16 code units, Telegram's limit
    mixed = ("gaji 15jt كيف שלום 😀 " * 300)[:4096]
    texts = [offer, one_word, emoji, mixed]
    assert all(len(t) <= 4096 for t in texts)
    answers = await say_all(harness, finished, texts)
    for (_person, replies), sent in zip(answers, texts, strict=True):
        assert replies, f"no answer to a long text starting {sent[:30]!r}"
        assert all(len(r) <= 4096 for r in replies)
    assert_no_crash(harness, caplog)


async def test_emoji_and_right_to_left_text_get_an_answer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    texts = ["كيف أعمل في ماليزيا بشكل قانوني؟", "שלום, איך עובדים בחו\"ל?",
             "\u202egaji 15jt\u202c di \u2067Malaysia\u2069", "👨‍👩‍👧‍👦 mau kerja ke Taiwan 🇹🇼",
             "🏳️‍🌈🏴‍☠️", "apa itu TPPO? 🙏🙏🙏", "\u200fكرجا\u200e kerja di Malaysia"]
    answers = await say_all(harness, finished, texts)
    for (_person, replies), sent in zip(answers, texts, strict=True):
        assert replies, f"no answer to {sent!r}"
    assert_no_crash(harness, caplog)


async def test_control_characters_get_an_answer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    texts = ["\u0007\u0007 bel", "\u001b[31mmerah\u001b[0m", "baris\r\ndua\rtiga",
             "\u0008\u007f hapus", "\u0085\u2028\u2029", "\u000b\u000c", "\u0001\u0002\u0003",
             "\ufeffapa itu TPPO", "\u200b", "\u200b\u200c\u200d\u2060", "\ufffe\uffff",
             "".join(chr(c) for c in range(1, 32)), "".join(chr(c) for c in range(0x7f, 0xa0))]
    answers = await say_all(harness, finished, texts)
    for (_person, replies), sent in zip(answers, texts, strict=True):
        assert replies, f"no answer to {sent!r}"
    assert_no_crash(harness, caplog)


@pytest.mark.parametrize("rows", _chunks())
async def test_naughty_strings(harness: Harness, finished: Finished,
                               caplog: pytest.LogCaptureFixture,
                               rows: list[tuple[int, str, str]]) -> None:
    answers = await say_all(harness, finished, [text for _n, _raw, text in rows])
    problems = []
    for (number, raw, text), (_person, replies) in zip(rows, answers, strict=True):
        if any(APOLOGY in r for r in replies):
            problems.append(f"line {number} {raw!r}: apology {replies}")
        elif must_answer(text) and not replies:
            problems.append(f"line {number} {raw!r}: no answer")
    assert not problems, "\n".join(problems)
    assert_no_crash(harness, caplog)


async def test_commands_for_other_bots_and_unknown_commands_are_ignored(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    texts = ["/start@other_bot", "/lapor@other_bot halo", "/unknowncommand",
             "/etc/passwd", "/a" * 20]
    answers = await say_all(harness, finished, texts)
    for (_person, replies), sent in zip(answers, texts, strict=True):
        assert replies == [], f"{sent!r} was answered: {replies}"
    assert_no_crash(harness, caplog)


async def test_commands_with_hostile_arguments(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    texts = ["/lapor extra args", "/status ' OR 1=1 --", "/status %s%s%n", "/status {0}",
             "/start ' OR 1=1 --", "/start inv_", "/start desa_", "/desa {name}",
             "/kampanye ' OR 1=1 --", "/bantuan " + "x" * 4000]
    answers = await say_all(harness, finished, texts)
    for (_person, replies), sent in zip(answers, texts, strict=True):
        assert replies, f"no answer to {sent[:40]!r}"
    replies = dict(zip(texts, [r for _p, r in answers], strict=True))
    for command in ("/status ' OR 1=1 --", "/status %s%s%n", "/status {0}"):
        assert replies[command] == [NO_SUCH_REPORT], replies[command]
    assert_no_crash(harness, caplog)


async def test_a_very_long_village_name_gets_an_answer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    try:
        siti = harness.villager()
        await finished.wait([await siti.say("/desa " + "x" * 4090)])
        replies = bot_texts(harness.emu, siti.chat_id)
        assert replies and APOLOGY not in replies[0], replies
        assert not harness.emu.rejected, harness.emu.rejected
        assert_no_crash(harness, caplog)
    finally:
        harness.emu.rejected.clear()  # reported by the assertions above


async def test_a_very_long_company_name_gets_an_answer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    try:
        siti = harness.villager()
        await finished.wait([await siti.say("Apakah PT " + "A" * 4000 + " resmi?")])
        replies = bot_texts(harness.emu, siti.chat_id)
        assert replies and APOLOGY not in replies[0], replies
        assert not harness.emu.rejected, harness.emu.rejected
        assert_no_crash(harness, caplog)
    finally:
        harness.emu.rejected.clear()


# -- what is not text ---------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sticker", "voice", "location", "contact"])
async def test_non_text_messages_get_the_polite_text_answer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture,
        kind: str) -> None:
    siti = harness.villager()
    siti.mark = harness.emu.last_seq()
    await finished.wait([await harness.emu.send_other(siti.user, kind)])
    replies = bot_texts(harness.emu, siti.chat_id)
    assert len(replies) == 1 and ONLY_TEXT in replies[0] and "teks" in replies[0], replies
    assert_no_crash(harness, caplog)


async def test_photo_and_document_without_caption_get_the_polite_text_answer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    siti, budi = harness.villager("Siti"), harness.villager("Budi")
    ids = [await harness.emu.send_photo(siti.user, b"\x89PNG\r\n\x1a\n" + bytes(64)),
           await harness.emu.send_document(budi.user, b"%PDF-1.4\n" + bytes(64), "../../x.pdf")]
    await finished.wait(ids)
    for person in (siti, budi):
        replies = bot_texts(harness.emu, person.chat_id)
        assert len(replies) == 1 and "teks" in replies[0], replies
    assert_no_crash(harness, caplog)


async def test_edited_messages_never_crash(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    siti = harness.villager()
    welcome = await siti.ask("halo")
    assert "Desa Binaan" in welcome.text
    original = next(e.message for e in harness.emu.world.by_chat[siti.chat_id]
                    if e.direction == "in")
    assert original is not None
    mark = harness.emu.last_seq()
    ids = []
    for text in ["' OR 1=1 --", "   ", "{0} %s%n", "\u202e\u0007", "😀" * 100, "x" * 4096,
                 "apa itu TPPO?", "/start"]:
        ids.append(await harness.emu.edit_text(siti.user, original, text))
    await finished.wait(ids)
    # The bot may ignore edits; whatever it does must not be an apology or a crash.
    for reply in bot_texts(harness.emu, siti.chat_id, mark):
        assert APOLOGY not in reply
    assert_no_crash(harness, caplog)


# -- groups -------------------------------------------------------------------------------
async def test_in_a_group_plain_text_is_not_answered_and_kuis_sends_a_quiz(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    emu = harness.emu
    siti = harness.villager("Siti")
    group = emu.world.add_group("Grup Warga Sukamaju")
    await emu.add_bot_to_group(siti.user, group)
    # Privacy mode: plain group messages never reach the bot at all.
    assert await siti.say("halo semua, ada info kerja di Malaysia?", chat=group) == 0
    assert await emu.send_other(siti.user, "sticker", chat=group) == 0
    # These do reach it; the bot answers questions only in private chats.
    ids = [await siti.say(f"@{BOT_USERNAME} apa itu TPPO? ' OR 1=1 --", chat=group),
           await siti.say("/start@other_bot", chat=group),
           await siti.say("/unknowncommand", chat=group)]
    await finished.wait(ids)
    assert bot_texts(emu, group.id) == []

    mark = emu.last_seq()
    await finished.wait([await siti.say("/kuis", chat=group)])
    quiz = await emu.next_from_bot(group.id, mark)
    assert quiz.method == "sendPoll"
    assert quiz.message and quiz.message["poll"]["type"] == "quiz"
    budi = harness.villager("Budi")
    group.members[budi.id] = "member"
    await emu.answer_poll(budi.user, quiz, [0])

    mark = emu.last_seq()
    await finished.wait([await siti.say(f"/kuis@{BOT_USERNAME}", chat=group)])
    assert (await emu.next_from_bot(group.id, mark)).method == "sendPoll"

    mark = emu.last_seq()
    await finished.wait([await siti.say("/lapor ada calo", chat=group)])
    refusal = await emu.next_from_bot(group.id, mark)
    assert "obrolan pribadi" in refusal.text
    assert_no_crash(harness, caplog)


# -- callback data ------------------------------------------------------------------------
def _random_ascii(rng: random.Random, size: int = 64) -> str:
    return "".join(rng.choice(string.printable.strip()) for _ in range(size))


FORGED = ["tp:c:99999", "tp:c:abc", "tp:v:1", "tp:e:1:police", "tp:x:1:followed_up",
          "tp:q:0", "tp:c:9999999999", "tp:", "tf:send", "tf:cancel", "tf:", "tf:v:1",
          "tf:consent:yes", "pl:n:1:x", "pl:v:1:../../etc", "pl:s:9999999999:a", "pl:",
          "dj:999999", "dj:abc", "dj:", "dj:9999999999", "dj:٣", "tr:a:1", "tr:a:x", "tr:",
          "ans:../../etc/passwd", "ans:legal_route:Narnia", "full:", "menu:x", "ans:{0}",
          "%s%s%n", "' OR 1=1 --", "\u202e", "😀" * 16, "x" * 64,
          *(_random_ascii(random.Random(seed)) for seed in range(5))]

MALFORMED = ["tp:c:abc", "tp:", "tr:a:x", "ans:../../etc/passwd", "ans:legal_route:Narnia",
             "menu:x", "%s%s%n", "' OR 1=1 --", "x" * 64]


async def test_forged_callback_data_is_answered_and_never_crashes(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    emu = harness.emu
    people = [harness.villager(f"Warga {i}") for i in range(len(FORGED))]
    welcomes = await asyncio.gather(*(p.ask("/start") for p in people))
    assert all("Desa Binaan" in w.text for w in welcomes)
    ids = []
    for person, welcome, data in zip(people, welcomes, FORGED, strict=True):
        assert 1 <= len(data.encode()) <= 64, data
        ids.append(await person.press(welcome, data=data))
    await finished.wait(ids)
    queries = {q["data"]: q for q in emu.world.callbacks.values()}
    unanswered = [d for d in FORGED if not queries[d].get("answered")]
    assert not unanswered, f"callback queries left spinning: {unanswered}"
    for data in MALFORMED:
        assert queries[data]["answered"].get("text") == NOT_VALID, (data, queries[data])
    assert_no_crash(harness, caplog)


@pytest.fixture
def no_flood_limits(harness: Harness) -> None:
    """One villager pressing many buttons quickly: 429 waits would only slow the test down."""
    harness.emu.limits.enabled = False


async def test_forged_report_buttons_during_a_report(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture,
        no_flood_limits: None) -> None:
    siti = harness.villager()
    step = await siti.ask("/lapor")
    assert "1/8" in step.text
    for data in ["tf:", "tf:v:99999", "tf:consent:maybe", "tf:story:x", "tf:a:b:c:d",
                 "tf:at_risk:self", "tf:v:", "tf:skip:extra"]:
        await finished.wait([await siti.press(step, data=data)])
    assert all(q.get("answered") for q in harness.emu.world.callbacks.values())
    assert_no_crash(harness, caplog)


@pytest.fixture
def villages(harness: Harness, no_flood_limits: None) -> None:
    roles.add_office(harness.services.db, "tpi", "Kantor Imigrasi Tanjungpinang", default=True)
    roles.add_office(harness.services.db, "mtr", "Kantor Imigrasi Mataram")
    import_villages(harness.services.db, FIXTURES / "villages_fictional.csv")


async def _at_the_village_step(siti: Person) -> Any:
    step = await siti.ask("/lapor")
    step = await siti.ask("Saya ditawari kerja di Kamboja oleh calo")
    while "7/8" not in step.text:
        await siti.press(step, data="tf:skip")
        step = await siti.reply()
    return step


async def test_forged_village_buttons_at_the_village_step(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture,
        villages: None) -> None:
    siti = harness.villager()
    step = await _at_the_village_step(siti)
    for data in ["tf:v:99999", "tf:v:abc", "tf:v:-1", "tf:v:1:2"]:
        await finished.wait([await siti.press(step, data=data)])
    assert all(q.get("answered") for q in harness.emu.world.callbacks.values())
    assert_no_crash(harness, caplog)


async def test_a_superscript_digit_in_a_village_button(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture,
        villages: None) -> None:
    siti = harness.villager()
    step = await _at_the_village_step(siti)
    await finished.wait([await siti.press(step, data="tf:v:²")])
    assert_no_crash(harness, caplog)


async def test_a_huge_number_in_a_village_button(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture,
        villages: None) -> None:
    siti = harness.villager()
    step = await _at_the_village_step(siti)
    await finished.wait([await siti.press(step, data="tf:v:" + "9" * 40)])
    assert_no_crash(harness, caplog)


async def test_a_button_on_a_message_telegram_no_longer_shows(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    """After 48 hours Telegram sends the pressed message as an InaccessibleMessage (date 0)."""
    emu = harness.emu
    siti = harness.villager()
    welcome = await siti.ask("/start")
    assert welcome.message is not None
    gone = {"chat": welcome.message["chat"], "message_id": welcome.message["message_id"],
            "date": 0}
    ids = []
    for data in ["ans:legal_route", "menu", "tf:send", "dj:1", "tp:c:1"]:
        query_id = new_callback_id()
        query = {"id": query_id, "from": siti.user, "message": gone,
                 "chat_instance": str(siti.chat_id), "data": data}
        emu.world.callbacks[query_id] = query
        ids.append(await emu.queue.put({"callback_query": query}))
    await finished.wait(ids)
    assert all(q.get("answered") for q in emu.world.callbacks.values())
    assert_no_crash(harness, caplog)


# -- poll answers ---------------------------------------------------------------------------
async def test_poll_answers_for_unknown_polls_are_ignored(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    emu = harness.emu
    siti = harness.villager()
    rng = random.Random(7)
    mark = emu.last_seq()
    ids = []
    for options in ([0], [], [3, 1], [2**31]):
        poll_id = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(19))
        ids.append(await emu.queue.put({"poll_answer": {
            "poll_id": poll_id, "user": siti.user, "option_ids": options,
            "option_persistent_ids": [str(i) for i in options]}}))
    for poll_id in ["", "' OR 1=1 --", "../../etc", "x" * 300]:
        ids.append(await emu.queue.put({"poll_answer": {
            "poll_id": poll_id, "user": siti.user, "option_ids": [0],
            "option_persistent_ids": ["0"]}}))
    group = emu.world.add_group("Grup Anonim")
    ids.append(await emu.queue.put({"poll_answer": {
        "poll_id": "anon", "voter_chat": group.as_json(), "option_ids": [1],
        "option_persistent_ids": ["1"]}}))
    await finished.wait(ids)
    assert bot_texts(emu, siti.chat_id, mark) == []
    assert_no_crash(harness, caplog)


# -- the same question from several villagers at once ---------------------------------------
@contextlib.contextmanager
def flushes_meet(wanted: Callable[[object], bool]) -> Iterator[None]:
    """Hold two database sessions that are about to write a `wanted` row until both are there.

    This only forces the interleaving that two villagers asking at the same moment produce by
    chance (both read, then both write); it changes nothing in what the bot does.
    """
    barrier = threading.Barrier(2, timeout=5)

    def meet(session: Session, _context: object, _instances: object) -> None:
        if any(wanted(obj) for obj in [*session.new, *session.dirty]):
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

    event.listen(Session, "before_flush", meet)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", meet)


UNANSWERED = "zzz qqq"  # out of scope, no retrieval hit: kept as an unanswered question


def _times_asked(harness: Harness) -> int:
    with harness.services.db.session() as session:
        return sum(session.scalars(select(UnansweredQuestion.count)))


async def test_the_same_new_question_from_two_villagers_at_once(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    with flushes_meet(lambda obj: isinstance(obj, UnansweredQuestion)):
        answers = await say_all(harness, finished, [UNANSWERED, UNANSWERED])
    assert all(replies for _person, replies in answers)
    assert_no_crash(harness, caplog)


async def test_an_unanswered_question_asked_at_once_is_counted_twice(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    await say_all(harness, finished, [UNANSWERED])
    assert _times_asked(harness) == 1
    with flushes_meet(lambda obj: isinstance(obj, UnansweredQuestion)):
        await say_all(harness, finished, [UNANSWERED, UNANSWERED])
    assert_no_crash(harness, caplog)
    assert _times_asked(harness) == 3
