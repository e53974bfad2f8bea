"""The report's prompts: step numbers that count what is really asked, fixed button places."""

from __future__ import annotations

import pytest

from bot.domain.tips.flow import STEPS, Draft, prompt, tells_a_story


def _numbers(draft: Draft) -> list[str]:
    seen = []
    for step in STEPS[:-1]:
        if step == "village" and draft.village_remembered:
            continue
        draft.step = step
        seen.append(prompt(draft).text.split(")")[0].split("(")[-1])
    return seen


def test_step_numbers_run_without_a_jump() -> None:
    """It jumped from 6/8 to 8/8 when the village was already known."""
    assert _numbers(Draft(telegram_id=1)) == [f"{i}/8" for i in range(1, 9)]
    known = Draft(telegram_id=1, village_id=5, village_remembered=True)
    assert _numbers(known) == [f"{i}/7" for i in range(1, 8)]
    chosen = Draft(telegram_id=1, village_id=5)  # chosen during this report: still 8 steps
    assert _numbers(chosen)[-1] == "8/8"


@pytest.mark.parametrize("step", [s for s in STEPS if s != "confirm"])
def test_cancel_is_the_last_row_on_every_step(step: str) -> None:
    rows = prompt(Draft(telegram_id=1, step=step)).buttons
    assert [b.data for b in rows[-1]] == ["tf:cancel"]


@pytest.mark.parametrize(("text", "story"), [
    ("mau lapor calo", False),
    ("sy mau laporin orang yg ngerekrut warga kampung ke luar negri", False),
    ("ada calo namanya Pak Joko, WA 0812-0000-4444", True),
    ("PT Maju Jaya nawarin kerja di Kamboja gaji 15 juta", True),
])
def test_a_story_is_told_by_its_details(text: str, story: bool) -> None:
    assert tells_a_story(text) is story


def test_the_summary_shows_who_was_offered_the_job_and_when_they_leave() -> None:
    """Steps 5 and 6 were asked, then missing from "Periksa laporan Anda"."""
    from bot.domain.tips.flow import confirm_prompt

    text = confirm_prompt(Draft(telegram_id=1, story="calo", at_risk="neighbour",
                                timing="none")).text
    assert "Yang ditawari: Tetangga" in text and "Keberangkatan: Belum berangkat" in text
    skipped = confirm_prompt(Draft(telegram_id=1, story="calo")).text
    assert "Yang ditawari: (tidak diisi)" in skipped


def _story(text: str) -> Draft:
    from bot.domain.tips.flow import accept_text

    draft = Draft(telegram_id=1)
    assert accept_text(draft, text) is None
    return draft


def test_the_recruiter_and_country_the_story_names_are_shown_to_confirm() -> None:
    """A villager who just told who and where was asked both again, as if unheard."""
    draft = _story("ada calo namanya pak Joko di desa sebelah, nawarin kerja ke kamboja lewat "
                   "malaysia pake visa turis. wa nya 0812-0000-1111")
    assert draft.recruiter == "pak Joko, 0812-0000-1111"
    assert draft.destination == "Kamboja (lewat Malaysia)"
    draft.step = "recruiter"
    asked = prompt(draft)
    assert "Dari cerita Anda: pak Joko, 0812-0000-1111" in asked.text
    assert [b.data for row in asked.buttons for b in row] == ["tf:clear", "tf:skip", "tf:cancel"]


def test_a_wrong_guess_is_cleared_or_typed_over() -> None:
    from bot.domain.tips.flow import accept_text, clear_guess

    draft = _story("PT Contoh Jaya nawarin kerja di Taiwan tapi minta 30jt ke pak Rudi")
    assert "PT Contoh Jaya" in draft.recruiter and "pak Rudi" in draft.recruiter
    draft.step = "destination"
    assert clear_guess(draft) and draft.destination == ""
    assert "Dari cerita" not in prompt(draft).text and not clear_guess(draft)
    draft.step = "recruiter"
    assert accept_text(draft, "bu Sri, bukan pak Rudi") is None
    assert draft.recruiter == "bu Sri, bukan pak Rudi" and "recruiter" not in draft.guessed


@pytest.mark.parametrize("text", ["mau lapor calo", "tetangga sy ditawari kerja sama pak RT",
                                  "saya mau lapor, ada yang mencurigakan di kampung"])
def test_a_story_without_names_guesses_nothing(text: str) -> None:
    draft = _story(text)
    assert (draft.recruiter, draft.destination, draft.guessed) == ("", "", [])
