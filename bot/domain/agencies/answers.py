"""The bot's answer about one company, built from the register's verdict."""

from __future__ import annotations

from babel.dates import format_date

from bot.core.i18n import _, current_locale
from bot.domain.agencies.register import Lookup
from bot.domain.answers.book import AnswerBook
from bot.domain.answers.conversation import answer_reply
from bot.domain.replies import Reply

ASKED_MAX = 120  # a pasted essay is not echoed back whole


def verdict_text(found: Lookup, asked: str) -> str:
    """One or two plain sentences on what the register says."""
    asked = asked if len(asked) <= ASKED_MAX else asked[:ASKED_MAX] + "\u2026"
    when = format_date(found.imported_at, "d MMMM y", locale=current_locale()) \
        if found.imported_at else ""
    if found.verdict == "no_register":
        return _("The list of licensed agencies has not been loaded into this bot yet, so I "
                 "cannot check \u201c{name}\u201d myself.").format(name=asked)
    lines = {
        "licensed": _("\u201c{name}\u201d is in the list of licensed placement companies "
                      "(licence {licence})."),
        "expired": _("\u201c{name}\u201d is in the list, but its licence {licence} has "
                     "expired. It may not recruit workers now."),
        "revoked": _("The licence of \u201c{name}\u201d ({licence}) has been revoked. It may "
                     "not recruit workers."),
        "suspended": _("The licence of \u201c{name}\u201d ({licence}) is suspended. It may not "
                       "recruit workers now."),
        "unknown": _("I cannot find \u201c{name}\u201d in the list of licensed placement "
                     "companies. Be careful: recruiting without a licence is illegal."),
    }
    text = lines[found.verdict].format(name=found.name or asked, licence=found.licence_number)
    if found.verdict == "unknown" and found.suggestion:
        text += " " + _("Did you mean \u201c{name}\u201d?").format(name=found.suggestion)
    return text + " " + _("(List imported on {date}.)").format(date=when)


def agency_reply(found: Lookup, asked: str, book: AnswerBook) -> Reply:
    """The verdict, then how to verify officially (sourced content), with its buttons."""
    official = answer_reply(book, "agency_check")
    text = verdict_text(found, asked) + "\n\n" + official.text
    return Reply(text, official.buttons, official.sources, "agency_check",
                 meta={"verdict": found.verdict})
