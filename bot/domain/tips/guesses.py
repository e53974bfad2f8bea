"""The recruiter and the destination a report's story already names.

"ada calo namanya pak Joko, nawarin kerja ke Kamboja, WA 0812..." was followed by "(3/8) Who
offered it?" and "(4/8) To which country?": a villager who had just told both had to type them
again, or skipped them and left the officer's alert without its recruiter. The steps are still
shown, with what the story said, so a wrong guess is corrected with one tap or a typed answer.
"""

from __future__ import annotations

import re

from bot.core.i18n import _
from bot.domain.offers.assessment import assess

PHONE = re.compile(r"(?<![\w+])\+?\d[\d .-]{7,}\d(?!\w)")
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b")
# An honorific or "namanya" and the name after it: "pak Joko", "namanya bang Roy Sihombing"
NAMED = re.compile(r"(?<!\w)(?:namanya|bernama|(?:pak|bapak|bu|ibu|mas|mbak|bang|abang|om|kak|"
                   r"koh|cik|teh|kang|mbok)\.?)\s+((?:[A-Za-z][a-z'-]+)(?:\s+[A-Z][a-z'-]+)?)")
NOT_NAMES = frozenset({"rt", "rw", "kades", "lurah", "camat", "polisi", "guru", "haji", "yang",
                       "itu", "ini", "dia", "saya", "kami", "tetangga", "sebelah", "kepala"})
MAX_GUESS = 200


def recruiter(story: str) -> str:
    """Names, accounts and phone numbers of whoever offered the job, as the story wrote them."""
    found: list[str] = []
    for match in NAMED.finditer(story):
        name = match.group(0).strip()
        if match.group(1).split()[0].lower() not in NOT_NAMES:
            found.append(re.sub(r"^(?:namanya|bernama)\s+", "", name, flags=re.I))
    found += [m.group(0) for m in HANDLE.finditer(story)]
    found += [m.group(0).strip() for m in PHONE.finditer(story)]
    company = assess(story).facts.company
    if company:
        found.append(company)
    return ", ".join(dict.fromkeys(found))[:MAX_GUESS]


def destination(story: str) -> str:
    """The country to work in the story names, with the transit countries it names."""
    facts = assess(story).facts
    if not facts.destination:
        return ""
    transit = [t for t in facts.transit if t != facts.destination]
    if not transit:
        return facts.destination
    return _("{country} (via {transit})").format(country=facts.destination,
                                                 transit=", ".join(transit))


def from_story(story: str) -> dict[str, str]:
    """{"recruiter": ..., "destination": ...}: only what the story does name."""
    guesses = {"recruiter": recruiter(story), "destination": destination(story)}
    return {key: value for key, value in guesses.items() if value}
