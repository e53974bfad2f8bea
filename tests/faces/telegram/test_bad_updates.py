"""Updates that are not plain private text: stickers, edits, groups, unknown polls.

How a crash is recognised, and how "ignored on purpose" is checked without sleeping, is
explained in `tests.auxil.watching`.
"""

from __future__ import annotations

import contextlib
import random
import string
import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.core.storage.models import UnansweredQuestion
from tests.auxil.harness import Harness
from tests.auxil.watching import APOLOGY, Finished, assert_no_crash, bot_texts, say_all

ONLY_TEXT = "Saya hanya bisa membaca pesan teks"
BOT_USERNAME = "desabinaan_bot"


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
    greeting = await emu.next_from_bot(group.id)  # added to a group, it says how to link it
    assert "/hubungkan" in greeting.text
    # Privacy mode: plain group messages never reach the bot at all.
    assert await siti.say("halo semua, ada info kerja di Malaysia?", chat=group) == 0
    assert await emu.send_other(siti.user, "sticker", chat=group) == 0
    # These do reach it; the bot answers questions only in private chats.
    ids = [await siti.say(f"@{BOT_USERNAME} apa itu TPPO? ' OR 1=1 --", chat=group),
           await siti.say("/start@other_bot", chat=group),
           await siti.say("/unknowncommand", chat=group)]
    await finished.wait(ids)
    assert bot_texts(emu, group.id) == [greeting.text]

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
