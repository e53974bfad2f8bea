"""Which typed messages leave a multi-step flow, decided without Telegram (bot.domain.detours)."""

from __future__ import annotations

import pytest

from bot.domain.detours import detour


def parsed(intent: str, confidence: float = 0.95):  # type: ignore[no-untyped-def]
    """A stand-in NLU that always gives `intent`."""
    return lambda text: {"intent": {"name": intent, "confidence": confidence}}


def no_nlu(text: str) -> dict:
    raise AssertionError(f"the NLU was asked about {text!r}")


@pytest.mark.parametrize(("text", "kind"), [
    ("gak jadi", "cancel"), ("ga jdi deh kak", "cancel"), ("batalin aja laporannya", "cancel"),
    ("udah ah", "cancel"), ("Batal!", "cancel"), ("nanti aja", "cancel"),
    ("berhenti", "stop"), ("STOP", "stop"), ("keluar", "stop"),
    ("menu", "help"), ("bantuan dong", "help"),
])
def test_control_phrases_need_no_nlu(text: str, kind: str) -> None:
    assert detour(text, "story", no_nlu) == kind


def test_a_long_story_is_never_a_detour_whatever_the_nlu_says() -> None:
    story = ("Ada calo bilang kalau mau stop kontrak harus bayar 30 juta, terus disuruh "
             "berhenti kerja di sini dan berangkat lewat Batam minggu depan")
    assert detour(story, "story", parsed("unsubscribe", 1.0)) is None


@pytest.mark.parametrize(("text", "expects", "intent", "kind"), [
    ("stop kirim notif", "story", "unsubscribe", "unsubscribe"),
    ("jangan kirim pesan lagi", "name", "unsubscribe", "unsubscribe"),
    ("ganggu terus min, matiin aja", "story", "unsubscribe", "unsubscribe"),
    ("berisik hp sy bunyi trs", "name", "unsubscribe", "unsubscribe"),
    ("berapa biaya paspor?", "story", "passport_info", "question"),
    ("berapa biaya paspor?", "when", "passport_info", "question"),
    ("calo bilang paspor dibantu, gimana?", "story", "report_tip", None),  # the story's content
    ("Pak Joko", "name", "greet", None),  # low confidence: a name
    ("Malaysia", "name", "country_info", None),  # no question: the destination
    ("makasih", "choice", "thanks", "question"),
])
def test_the_nlu_decides_the_rest_by_what_the_step_expects(text: str, expects: str, intent: str,
                                                            kind: str | None) -> None:
    confidence = 0.46 if text == "Pak Joko" else 0.95
    assert detour(text, expects, parsed(intent, confidence)) == kind  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["Kapan calo itu datang ke desa?", "stop", "berhenti"])
def test_an_officers_note_or_question_is_taken_as_typed(text: str) -> None:
    assert detour(text, "message", parsed("report_tip")) is None


def test_done_and_dont_know_only_where_the_step_has_those_buttons() -> None:
    assert detour("udah", "story", no_nlu, collects=True) == "done"
    assert detour("gak tau", "name", no_nlu, skippable=True) == "skip"
    assert detour("gak tau", "name", parsed("out_of_scope", 0.5)) is None


def test_at_a_button_step_a_word_the_nlu_cannot_place_shows_the_buttons_again() -> None:
    assert detour("tidak", "choice", parsed("out_of_scope", 0.3)) == "buttons"
    assert detour("cara bikin paspor gmn", "choice", parsed("passport_info")) == "question"
