"""Issue 15's floors on the offers written for it before the rules changed
(tests/fixtures/offers_heldout.yml): exact level >= 0.85, no high offer judged low, every
low offer that names a licensed agency or the official route judged low, and the four kinds
of medium offer the old rules judged low now at least medium. The same floors hold on
offers_dev2.yml, the set the level aggregation was developed on, and on offers_sealed2.yml,
offers_sealed3.yml and offers_sealed4.yml, earlier sessions' untouched sets, and on offers_dev3.yml,
offers_dev4.yml, offers_dev5.yml and offers_dev6.yml, written by the seventh session before they
were run (lawful licensed adverts with ordinary costs, single irregular signs amid an honest
advert's details), and offers_dev8.yml and offers_check8.yml to offers_check10.yml, written by
the eighth session before the changes they measured."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.domain.offers.assessment import assess
from tests.auxil.paths import FIXTURES

HELDOUT = yaml.safe_load((FIXTURES / "offers_heldout.yml").read_text(encoding="utf-8"))["offers"]
OLD = yaml.safe_load((FIXTURES / "offers.yml").read_text(encoding="utf-8"))["offers"]
SEALED = yaml.safe_load((FIXTURES / "offers_sealed.yml").read_text(encoding="utf-8"))["offers"]
DEV2 = yaml.safe_load((FIXTURES / "offers_dev2.yml").read_text(encoding="utf-8"))["offers"]
# The last two sessions' untouched sets, development sets now.
SEALED2 = yaml.safe_load((FIXTURES / "offers_sealed2.yml").read_text(encoding="utf-8"))["offers"]
SEALED3 = yaml.safe_load((FIXTURES / "offers_sealed3.yml").read_text(encoding="utf-8"))["offers"]
SEALED4 = yaml.safe_load((FIXTURES / "offers_sealed4.yml").read_text(encoding="utf-8"))["offers"]
DEV3 = yaml.safe_load((FIXTURES / "offers_dev3.yml").read_text(encoding="utf-8"))["offers"]
DEV4 = yaml.safe_load((FIXTURES / "offers_dev4.yml").read_text(encoding="utf-8"))["offers"]
DEV5 = yaml.safe_load((FIXTURES / "offers_dev5.yml").read_text(encoding="utf-8"))["offers"]
DEV6 = yaml.safe_load((FIXTURES / "offers_dev6.yml").read_text(encoding="utf-8"))["offers"]
CHECK7 = yaml.safe_load((FIXTURES / "offers_check7.yml").read_text(encoding="utf-8"))["offers"]
DEV8 = yaml.safe_load((FIXTURES / "offers_dev8.yml").read_text(encoding="utf-8"))["offers"]
CHECK8 = yaml.safe_load((FIXTURES / "offers_check8.yml").read_text(encoding="utf-8"))["offers"]
CHECK9 = yaml.safe_load((FIXTURES / "offers_check9.yml").read_text(encoding="utf-8"))["offers"]
CHECK10 = yaml.safe_load((FIXTURES / "offers_check10.yml").read_text(encoding="utf-8"))["offers"]


@pytest.mark.parametrize("offers", [HELDOUT, OLD, SEALED, DEV2, SEALED2, SEALED3, SEALED4, DEV3,
                                    DEV4, DEV5, DEV6, CHECK7, DEV8, CHECK8, CHECK9, CHECK10],
                         ids=["heldout", "original", "sealed", "dev2", "sealed2", "sealed3",
                              "sealed4", "dev3", "dev4", "dev5", "dev6", "check7", "dev8",
                              "check8", "check9", "check10"])
def test_exact_level_accuracy_meets_the_floor(offers: list[dict[str, str]]) -> None:
    judged = Counter((o["expected"], assess(o["text"]).risk) for o in offers)
    right = sum(n for (expected, got), n in judged.items() if expected == got)
    assert right / len(offers) >= 0.85, judged
    assert judged[("high", "low")] == 0, judged


def test_every_licensed_low_offer_is_judged_low() -> None:
    sets = (HELDOUT + OLD + SEALED + DEV2 + SEALED2 + SEALED3 + SEALED4 + DEV3 + DEV4 + DEV5
            + DEV6 + CHECK7 + DEV8 + CHECK8 + CHECK9 + CHECK10)
    lows = [o for o in sets if o["expected"] == "low"
            and (o.get("licensed") or assess(o["text"]).facts.official_route)]
    assert len(lows) >= 174
    assert [o["note"] for o in lows if assess(o["text"]).risk != "low"] == []


@pytest.mark.parametrize("note", [
    "fee paid to an unnamed agent", "Malay; fee to a village agent",
    "fee to a training centre before departure", "five months' pay deducted",
    "the Garut fishing-crew deduction pattern", "three months' pay to the agent",
    "contract in Mandarin only", "work visa arranged by an acquaintance",
    "visa arranged by a friend abroad",
])
def test_the_medium_offers_the_old_rules_missed_are_not_low(note: str) -> None:
    offer = next(o for o in HELDOUT if o["note"] == note)
    result = assess(offer["text"])
    assert result.risk == "medium", [f.name for f in result.flags]


@pytest.mark.parametrize("note", [
    "lawful zero-cost job with a free ticket", "zero-cost fishing crew through a licensed agency",
    "ordinary overland travel is no illegal crossing", "a bus ride from the airport, licensed",
    "ordinary Taiwan factory pay with overtime", "zero-cost driver job, pay in Brunei dollars",
])
def test_lawful_offers_the_audit_named_are_low(note: str) -> None:
    offer = next(o for o in HELDOUT if o["note"] == note)
    result = assess(offer["text"])
    assert result.risk == "low", [f.name for f in result.flags]
