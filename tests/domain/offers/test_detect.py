"""Pasted adverts reach the offer checker even when the NLU takes them for something else,
and villagers' questions stay with the NLU (issue 15: half the doubtful held-out offers and
three of sixteen dangerous ones never reached the checker when pasted)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.domain.offers.detect import looks_like_offer, send_to_checker
from bot.domain.services import Services
from nlu.evaluate import load_labelled
from tests.auxil.paths import FIXTURES

OFFER_SETS = ["offers.yml", "offers_heldout.yml", "offers_sealed.yml", "offers_dev2.yml"]
QUESTION_SETS = [FIXTURES / "nlu_fresh.yml", FIXTURES / "nlu_sealed.yml",
                 Path(__file__).resolve().parents[3] / "nlu" / "tests" / "test_data.yml"]


def _routed(services: Services, text: str) -> bool:
    intent = services.nlu.parse(text)["intent"]["name"]
    return intent == "offer_check" or send_to_checker(intent, text)


@pytest.mark.parametrize("name", OFFER_SETS)
def test_every_dangerous_pasted_offer_reaches_the_checker(shared_services: Services,
                                                          name: str) -> None:
    offers = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))["offers"]
    missed = [o["note"] for o in offers
              if o["expected"] == "high" and not _routed(shared_services, o["text"])]
    assert missed == []
    mediums = [o for o in offers if o["expected"] == "medium"]
    reached = sum(_routed(shared_services, o["text"]) for o in mediums)
    assert reached >= 0.85 * len(mediums)


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda p: p.name)
def test_no_villager_question_is_taken_for_an_offer(shared_services: Services,
                                                    path: Path) -> None:
    taken = [text for text, intent in load_labelled(path) if intent != "offer_check"
             and send_to_checker(shared_services.nlu.parse(text)["intent"]["name"], text)]
    assert taken == []


@pytest.mark.parametrize(("intent", "text", "checked"), [
    ("costs_fees", "Kerja kilang Malaysia, biaya pengurusan 4 juta kasih ke agen kita di "
                   "kampung, gaji RM1.900", True),
    ("out_of_scope", "Dicari penjaga toko di Yogyakarta, gaji 2,5 juta, kirim lamaran ke "
                     "WA 0812-0000-0001", True),
    ("visa_info", "pergi pake visa umroh terus cari kerja disana itu melanggar ga", False),
    ("emergency_help", "adik saya kerja admin di kamboja gaji 15jt tapi sekarang disekap, "
                       "paspornya ditahan, tolong", False),
    ("out_of_scope", "Waspada loker Kamboja! Jangan mau diajak kerja ke sana, itu modus "
                     "penipuan.", False),
])
def test_who_goes_to_the_checker(intent: str, text: str, checked: bool) -> None:
    assert send_to_checker(intent, text) is checked


def test_short_texts_are_not_offers() -> None:
    assert not looks_like_offer("kerja di kamboja gaji 15jt")


def test_a_hurried_call_for_tradesmen_without_the_word_kerja_reaches_the_checker() -> None:
    text = ("Butuh cepat 20 tukang las untuk proyek di Arab Saudi, berangkat 5 hari lagi, biaya "
            "medical 2 juta tanggung sendiri.")
    assert send_to_checker("out_of_scope", text)
