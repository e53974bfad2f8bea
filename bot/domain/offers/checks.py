"""The named checks a red flag can call: pay ceilings, the fee cap, Perban 9/2020's reach, routes.

The rules file's small pattern language cannot compare amounts or read extracted facts
together, so the few conditions that need code are written here, each under the name a flag
uses in `check:`. `OfferFacts` lives here too: it is what every check reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.domain.offers import ceilings
from nlu.amounts import Money, find_amounts, to_idr


@dataclass(frozen=True)
class OfferFacts:
    """What we extracted from an offer; None means "the text does not say"."""

    destination: str | None
    job: str | None
    pay_idr_month: float | None
    visa_type: str | None
    fees: list[str]
    fee_receiver: str | None
    channel: str | None
    transit: list[str]
    passport_handover: bool
    contract: bool | None
    urgent: bool
    company: str | None
    licensed: bool | None
    countries: list[str] = field(default_factory=list)  # named as places to work, not transit
    official_route: bool = False  # names SISKOP2MI, BP3MI, LTSA, Disnaker, G to G, ...
    trip_only: bool = False  # a holiday or pilgrimage package that offers no work at all


Check = Callable[[OfferFacts, str, Mapping[str, Any]], bool]
_ABROAD = re.compile(r"(?<!\w)(?:luar (?:negeri|negri|negara)|luarnegeri|ln|overseas|abroad|paspor|"
                     r"visa|tiket pesawat|pesawat|"
                     r"negara|berangkat)(?!\w)")


def pay_place(facts: OfferFacts, text: str) -> str | None:
    """Where the pay is earned: the destination, else the country of the currency."""
    return facts.destination or ceilings.home_of(find_amounts(text))


def _pay_above_typical(facts: OfferFacts, text: str, params: Mapping[str, Any]) -> bool:
    if facts.destination is None and ceilings.unjudged_currency(find_amounts(text)):
        return False
    ceiling = params["ceilings"].for_destination(pay_place(facts, text))
    return None not in (ceiling, facts.pay_idr_month) and facts.pay_idr_month > ceiling


def _fee_above(facts: OfferFacts, _: str, params: Mapping[str, Any]) -> bool:
    """Whether a fee the offer asks for is larger than the cap (rupiah, approximate)."""
    return any(_idr(money) > params["cap"] for fee in facts.fees for money in find_amounts(fee))


def _idr(money: Money) -> float:
    try:
        return to_idr(money)
    except KeyError:  # a currency without a rate cannot be compared
        return 0.0


# Household work in Taiwan left Perban 9/2020's zero cost on 7 July 2022 (fact
# negara.tw.zero_cost_dikecualikan; Kepka 785 caps its costs instead). Fishing crews on
# Taiwanese vessels are no household work and stay zero-cost.
_FISHING_CREW = re.compile(r"(?<!\w)(?:abk|awak kapal|anak buah kapal|kapal (?:ikan|penangkap "
                           r"ikan)|nelayan|perikanan)(?!\w)")


def _perban_9_applies(facts: OfferFacts, text: str, _: Mapping[str, Any]) -> bool:
    return facts.destination != "Taiwan" or bool(_FISHING_CREW.search(text))


CHECKS: dict[str, Check] = {
    "abroad": lambda f, text, _: bool(f.destination or f.countries or f.transit
                                      or _ABROAD.search(text)),
    "pay_above_typical": _pay_above_typical,
    # A fee above the largest lawful cost the fact sheet quotes is no "official cost
    # structure", even from a licensed agency ("beli job", fact sheet 1k).
    "fee_above": _fee_above,
    "perban_9_applies": _perban_9_applies,
    # A documented route (official channel and a work visa) may name a flight's stopover.
    "transit_elsewhere": lambda f, _, __: any(t != f.destination for t in f.transit)
    and not (f.official_route and f.visa_type == "kerja"),
    "no_company_or_official": lambda f, _, __: f.company is None and not f.official_route,
    "no_company_or_official_abroad": lambda f, text, p: CHECKS["no_company_or_official"](
        f, text, p) and CHECKS["abroad"](f, text, p),
    "no_official_route": lambda f, _, __: not f.official_route,
    "abroad_off_route": lambda f, text, p: not f.official_route and CHECKS["abroad"](f, text, p),
}
CHECK_PARAMS = {"pay_above_typical": ("default",), "fee_above": ("fact", "times")}
