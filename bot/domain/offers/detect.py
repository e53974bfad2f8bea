"""Is this pasted text a job offer? Then it goes to the offer checker, whatever the NLU says.

Forwarded messages always reach the checker, but villagers also copy an advert into the chat.
The NLU is trained on villagers' questions, not on adverts, and sent many pasted adverts to
other intents or to out_of_scope (on issue 15's held-out offers: 13 of 16 dangerous ones, 9 of
18 doubtful ones, 3 of 16 lawful ones reached the checker). An advert has a recognisable
shape: an offer word ("loker", "dibutuhkan", "ditawari") and at least two concrete details
(pay, a place, a fee, a contact, a job), in a text longer than a question usually is.
Sentences that only warn ("Waspada loker Kamboja!") do not count, so a warning notice pasted
in is answered as the question it is.
"""

from __future__ import annotations

import re

from bot.domain.offers import extract as read
from bot.domain.offers.assessment import normalize_offer, offer_text, read_facts
from bot.domain.offers.rules import SEVERITIES, load_rules
from nlu.amounts import find_amounts

MIN_CHARS = 60
MIN_DETAILS = 2
QUESTION_MAX_CHARS = 120  # a short text ending as a question is a question about offers
NOT_OFFERS = frozenset({"emergency_help", "report_tip"})  # their own flows come first

_OFFER_WORD = re.compile(
    r"(?<!\w)(?:loker|lowongan|lowker|dibutuhkan|dicari|butuh (?:cepat|\d+)|merekrut|rekrut\w*|"
    r"hiring|open recruitment|jawatan kosong|kerja kosong|ditawari\w*|nawarin|menawarkan|"
    r"tawaran kerja|ada (?:kerjaan|kerja|info kerja|job)|info (?:kerja|loker)|program kerja|"
    r"penempatan|job|kerja (?:di|ke) (?:luar negeri|\w+) gaji|mau kerja di)(?!\w)")
_WORK = re.compile(r"(?<!\w)(?:kerja\w*|krj|gawe\w*|job|jawatan|lowongan|loker|lowker|"
                   r"dibutuhkan|dicari|butuh (?:cepat|segera|\d+)|tukang \w+|gaji|upah|"
                   r"penempatan|hiring|salary|vacanc\w+|recruit\w*)(?!\w)")  # recruiters' English
_QUESTION_END = re.compile(r"(?:\?|(?<!\w)(?:ga|gak|nggak|ngga|enggak|tidak|kah|apa|gimana|"
                           r"bagaimana|gmn|kan|bukan|ya))[\s?!.]*$")
_CONTACT = re.compile(r"(?<!\w)(?:wa|whatsapp|dm|inbox|japri|pm|hubungi|telegram)(?!\w)|"
                      r"\b0\d{2,3}[- ]?\d{3,4}[- ]?\d{3,4}\b")


def details(text: str) -> int:
    """How many kinds of concrete detail an offer text gives: pay, place, fee, contact, job."""
    rules = load_rules()
    destination, countries, transit = read.places(text, rules.countries)
    amounts = find_amounts(text)
    kinds = [bool(amounts), bool(destination or countries or transit),
             bool(read.fees(text, amounts)), bool(_CONTACT.search(text)), bool(read.job(text))]
    return sum(kinds)


def looks_like_offer(text: str) -> bool:
    """Whether a pasted message is a job offer to assess rather than a question to answer.

    A text about work with a warning sign the checker knows (medium or high) is always
    checked: missing a dangerous offer costs more than answering an offer-shaped question
    with a verdict. Without such a sign it must look like an advert.
    """
    cleaned = offer_text(normalize_offer(text))
    if len(cleaned) < MIN_CHARS or not _WORK.search(cleaned):
        return False
    rules = load_rules()
    facts = read_facts(cleaned, rules)
    flags = rules.find_flags(facts, cleaned)
    if any(SEVERITIES[f.severity] >= SEVERITIES["medium"] for f in flags):
        return True
    return bool(_OFFER_WORD.search(cleaned)) and details(cleaned) >= MIN_DETAILS


def send_to_checker(intent: str, text: str) -> bool:
    """An advert the NLU took for another intent (its offer_check has its own flow).

    A short text that ends as a question ("pakai visa umroh terus kerja, melanggar ga?") is
    answered as the question the NLU recognised. An advert the NLU itself calls offer_check
    is sent here too: when the NLU is unsure of it, the answer step would otherwise reply with
    the polite "I cannot help with that" to a pasted, perfectly checkable offer.
    """
    if intent in NOT_OFFERS:
        return False
    stripped = text.strip().lower()
    if len(stripped) <= QUESTION_MAX_CHARS and _QUESTION_END.search(stripped):
        return False
    return looks_like_offer(text)
