"""The two kinds of high-risk offer issue 15's untouched set judged low: a minor recruited for
work abroad, and household work for a family in the Middle East. Recruiters and relatives name
neither plainly: youth is "baru lulus SMP", "belum punya KTP, cukup KK", "remaja", "umur enam
belas", "isih sekolah"; household work in one of Kepmenaker 260/2015's 21 countries is
"khadimat", "pembokat", "momong bayi", "ikut majikan" in Erbil, Kairo or Riyad, or "di rumah
orang Arab", sometimes with an umrah passport. The lawful contrasts stay low: adults, formal
jobs in the Gulf through licensed agencies, the children a Hong Kong helper looks after. The
adverts are in tests/fixtures/offers_minors_mideast.yml (its header says how they were written)."""

from __future__ import annotations

import pytest
import yaml

from bot.domain.offers.assessment import assess
from bot.domain.offers.detect import send_to_checker
from tests.auxil.paths import FIXTURES

ADVERTS = yaml.safe_load((FIXTURES / "offers_minors_mideast.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("advert", ADVERTS["minors"] + ADVERTS["mideast_household"]
                         + ADVERTS["minors_at_home"] + ADVERTS["mideast_more"]
                         + ADVERTS["minors_third"] + ADVERTS["mideast_third"]
                         + ADVERTS["employer_only"] + ADVERTS["mideast_english"]
                         + ADVERTS["mideast_fifth"],
                         ids=lambda a: a["sign"])
def test_a_minor_or_household_work_in_the_middle_east_is_high(advert: dict[str, str]) -> None:
    result = assess(advert["text"])
    assert advert["sign"] in {f.name for f in result.flags}
    assert result.risk == "high"


@pytest.mark.parametrize("advert", ADVERTS["lawful"] + ADVERTS["lawful_more"]
                         + ADVERTS["lawful_third"] + ADVERTS["lawful_employer"]
                         + ADVERTS["lawful_english"] + ADVERTS["lawful_fifth"]
                         + ADVERTS["lawful_refusals"])
def test_adults_and_formal_gulf_jobs_raise_no_warning(advert: dict[str, str]) -> None:
    result = assess(advert["text"])
    assert result.risk == "low", [f.name for f in result.flags]
    assert not [f.name for f in result.flags if f.severity != "low"]


def test_the_minor_warning_says_the_minimum_age_and_the_law() -> None:
    flag = next(f for f in assess("Kerja di Johor, usia 16th boleh, mess gratis").flags
                if f.name == "minor_recruited")
    assert "18 tahun" in flag.explain and "Pasal 80" in flag.explain


def test_a_country_of_the_moratorium_list_is_named_in_the_warning() -> None:
    flag = next(f for f in assess("Kerja ART ke Mesir, gaji $300, bebas biaya").flags
                if f.name == "middle_east_household_work")
    assert "Mesir" in flag.explain


def test_a_job_at_home_for_a_school_leaver_is_not_a_minor_abroad() -> None:
    assert assess("Dicari pelayan toko di Solo, baru lulus SMP boleh, gaji 2 juta").risk == "low"


def test_at_home_an_explicit_under_age_offer_is_still_high() -> None:
    text = "Dicari pelayan toko di Solo, di bawah umur juga bisa, gaji 2 juta"
    assert assess(text).risk == "high"


def test_a_gulf_advert_in_recruiters_english_pasted_in_reaches_the_checker() -> None:
    text = ("Need caregiver for family in Kuwait, take care of old mama, salary 130 KD, "
            "WA 0812-0000-6802")
    assert send_to_checker("out_of_scope", text)
