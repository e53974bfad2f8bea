"""Is a message typed in the middle of a multi-step flow the step's answer, or a detour?

A villager who types "stop kirim notif", "gak jadi" or "menu" halfway through a report had
it stored as the offer text; an official's "batal" after /pesan was sent to the officers as
the village's message. Every flow that waits for typed input asks this module first.

The decision uses two things: what the step expects (a long free text, a short name or
place, a date, a button) and the message itself (a few control phrases matched on the whole
message, and the NLU's intent and confidence for the rest). A free-text step accepts long
descriptive text, even when it contains "stop" or a question: only a short message that is
clearly a control phrase leaves it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from nlu.normalize import normalize

Expects = Literal["message", "story", "name", "when", "choice"]
Kind = Literal["cancel", "stop", "unsubscribe", "help", "question", "skip", "done", "buttons"]
Parse = Callable[[str], dict[str, Any]]

# Words that soften a short message without changing what it asks ("gak jadi deh kak").
PARTICLES = frozenset({"deh", "dong", "ya", "yah", "saja", "ah", "sih", "kok", "kak", "kk",
                       "min", "admin", "lah", "nih", "tuh", "dulu", "aku", "saya", "sy", "mau",
                       "ini", "itu", "semua", "semuanya", "please", "pls", "oke", "ok", "bot",
                       "!", "?", ".", ","})
# What a cancel phrase may name as its object ("batalkan laporannya").
OBJECTS = frozenset({"laporan", "laporannya", "lapor", "melapor", "nya", "pesan", "pesannya",
                     "catatan", "jadwal", "cek", "periksa", "kirim"})
CANCEL = frozenset({"batal", "batalkan", "batalin", "cancel", "tidak jadi", "tidak usah",
                    "tidak mau lanjut", "tidak lanjut", "tidak dilanjut",
                    "tidak dilanjutkan", "sudah ah", "udahan", "sudahan", "nanti", "lain kali",
                    "hapus", "hapus saja", "tidak perlu", "batal lapor", "tidak jadi lapor"})
STOP = frozenset({"stop", "berhenti", "berhentiin", "keluar", "stop stop", "sudah stop", "exit",
                  "quit"})
HELP = frozenset({"menu", "bantuan", "help", "start", "menu utama", "daftar menu", "bingung"})
SKIP = frozenset({"tidak tahu", "gatau", "tidak tau", "lupa", "tidak ingat", "tidak ada",
                  "kurang tahu", "belum tahu", "rahasia", "-", "skip", "lewati", "lewat"})
DONE = frozenset({"sudah", "selesai", "cukup", "sudah selesai", "sudah semua", "itu saja",
                  "sudah itu saja", "sudah cukup", "done", "sudah kirim", "sudah dikirim",
                  "itu aja", "segitu"})
# "stop kirim notif", "jangan kirim pesan lagi": the unsubscribe intent naming the broadcasts,
# or complaining about them ("ganggu terus, matiin", "berisik hp bunyi terus").
BROADCAST_WORDS = re.compile(r"\b(?:notif\w*|pesan\w*|kirim\w*|\w*langganan|l\w*ngg\w*n|"
                             r"broadcast|pelajaran|kuis|quiz|info\w*|spam|sms|chat|pemberitahuan|"
                             r"siaran|unsubscribe|ganggu\w*|mengganggu|berisik|bising|matiin|"
                             r"matikan|bunyi|nyampah|penuh)\b")
QUESTION_WORDS = re.compile(r"\?|\b(?:apa|apakah|apaan|berapa|gimana|bagaimana|kapan|mana|"
                            r"dimana|siapa|kenapa|mengapa|bisakah|bolehkah|caranya|cara|bisa"
                            r"|boleh|gmn|bgmn|knp|brp|gimna)\b")
# A story step may itself be about an offer or an emergency: those intents are its content.
STORY_INTENTS = frozenset({"report_tip", "offer_check", "emergency_help", "scam_signs",
                           "trafficking_info"})
SOCIAL = frozenset({"greet", "thanks"})
# Intents that ask the bot to do something: never a name, a place or a date, asked or not
# ("mau ikut pelajaran desa" was stored as where a trafficked person is).
# A company is a recruiter's name, so "PT Sinar Jaya" (agency_check) stays an answer.
ACTIONS = frozenset({"subscribe", "unsubscribe", "quiz_start", "bot_help"})
SHORT = 6  # words: a control phrase is never longer
ASKED = 12  # words: a question typed into a story step is short
SURE = 0.8  # NLU confidence for leaving a step that expects text
UNSURE = 0.45  # below this the NLU's intent is not trusted (answers.conversation.CONFIDENT)


def core(text: str) -> str:
    """The message without its softening particles, normalised ("gak jadi deh" -> "tidak jadi")."""
    words = [w for w in normalize(text).split() if w not in PARTICLES]
    return " ".join(words)


def _without_objects(phrase: str) -> str:
    return " ".join(w for w in phrase.split() if w not in OBJECTS)


def control(text: str, expects: Expects, skippable: bool = False,
            collects: bool = False) -> Kind | None:
    """A control phrase that is the whole message, or None (no NLU needed)."""
    phrase, full = core(text), " ".join(w for w in normalize(text).split() if w not in "!?.,")
    if len(phrase.split()) > SHORT or len(text) > 80:
        return None
    bare = _without_objects(phrase)
    if full in CANCEL:  # "udah ah" gives up; "udah" alone is done
        return "cancel"
    if collects and phrase in DONE:
        return "done"
    if skippable and phrase in SKIP:
        return "skip"
    if phrase in CANCEL or bare in CANCEL:
        return "cancel"
    if phrase in HELP:
        return "help"
    if expects != "message" and (phrase in STOP or bare in STOP):
        return "stop"
    return None


def detour(text: str, expects: Expects, parse: Parse, skippable: bool = False,
           collects: bool = False) -> Kind | None:
    """What the message means instead of being the step's input, or None (it is the input).

    `skippable`: the step has a Skip button ("ga tau" presses it); `collects`: the step
    gathers several messages until Done ("udah" presses it). `parse` is the NLU, called only
    for short messages that no control phrase decided.
    """
    kind = control(text, expects, skippable, collects)
    if kind is not None or expects == "message":
        return kind
    words = len(normalize(text).split())
    if expects == "story" and words > ASKED:
        return None
    intent, confidence = _intent(parse(text))
    asks = bool(QUESTION_WORDS.search(normalize(text)))
    if intent == "unsubscribe" and confidence >= 0.6 and words <= 2 * SHORT and \
            BROADCAST_WORDS.search(normalize(text)):
        return "unsubscribe"
    if intent == "bot_help" and confidence >= 0.9 and words <= SHORT:
        return "help"
    if intent == "goodbye" and confidence >= 0.9 and words <= SHORT - 2:
        return "cancel"
    if expects == "choice":  # the buttons are the answer: typed text is a question, or a try
        return "question" if intent != "out_of_scope" and confidence >= UNSURE else "buttons"
    if intent in SOCIAL and confidence >= 0.9 and words <= 3:
        return "question"
    if expects != "story" and intent in ACTIONS and confidence >= SURE:
        return "question"
    if intent == "out_of_scope" or not asks:
        return None
    if expects == "story":
        return "question" if confidence >= SURE and intent not in STORY_INTENTS else None
    return "question" if confidence >= 0.6 else None


def _intent(parsed: dict[str, Any]) -> tuple[str, float]:
    intent = parsed.get("intent") or {}
    return intent.get("name") or "out_of_scope", float(intent.get("confidence") or 0)
