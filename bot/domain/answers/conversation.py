"""From what a villager typed (already understood by the NLU) to the bot's reply."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from bot.core.formatting import format_number
from bot.core.i18n import _
from bot.domain.answers import emergency
from bot.domain.answers.book import AnswerBook, Variant
from bot.domain.answers.retrieval import QuestionIndex, entry_label, split_label
from bot.domain.content.sources import Source
from bot.domain.replies import Button, Reply

MENU_INTENTS = (
    "legal_route", "offer_check", "agency_check", "report_tip", "emergency_help",
    "contact_info", "quiz_start", "subscribe",
)
NO_SOURCES_ADDED = frozenset({"offer_check", "quiz_start", "subscribe", "unsubscribe", "greet",
                              "out_of_scope"})
# Answers about the procedure that name no country in their text: when the villager named one
# ("kerja ke taiwan gmn caranya"), a button leads on to that country's own answer (its route,
# costs and pay), instead of leaving them with the general steps only.
COUNTRY_LEADS = frozenset({"legal_route", "pmi_requirements", "costs_fees", "visa_info",
                           "training_info", "worker_rights"})
CONFIDENT = 0.45  # below this the NLU's intent is not trusted; see nlu/README.md


@dataclass(frozen=True)
class Understood:
    """The parts of an NLU parse the conversation uses."""

    intent: str
    confidence: float
    country: str | None = None
    organization: str | None = None

    @classmethod
    def from_parse(cls, parsed: dict[str, Any]) -> Understood:
        """Read Rasa's /model/parse shape (the embedded engine returns the same)."""
        entities = {e.get("entity"): e.get("value") for e in reversed(parsed.get("entities", []))}
        intent = parsed.get("intent") or {}
        return cls(intent.get("name") or "out_of_scope", float(intent.get("confidence") or 0),
                   entities.get("country"), entities.get("organization"))


def menu_rows(book: AnswerBook) -> tuple[tuple[Button, ...], ...]:
    """The main menu: two buttons a row, labelled with the answers' titles."""
    buttons = [Button(book[i].title, f"ans:{i}") for i in MENU_INTENTS if i in book]
    return tuple(tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2))


def welcome(book: AnswerBook, retention_days: float = 180,
            roles: frozenset[str] = frozenset()) -> Reply:
    """The /start message: what the bot does, the privacy lines and the menu.

    `retention_days` is CAMPAIGN_RETENTION_DAYS: how long checked offer texts are kept. An
    officer or official who typed /start saw only the villager's welcome and had to guess that
    their own tools hide behind /bantuan, so `roles` adds one line pointing there.
    """
    paragraphs = [
        _("Hello! I am the Desa Binaan assistant of the immigration office."),
        _("I help you work abroad safely and legally: ask me about legal routes, passports, "
          "agencies, costs and visas, send me a job offer to check, or report a suspicious "
          "recruiter."),
        _("Privacy: your reports are confidential; officers do not see who you are unless you "
          "agree."),
        _("Job offers you ask me to check are kept for {days} days without who sent them, to "
          "warn other villages about the same recruiter.").format(
            days=format_number(retention_days)),
        _("Choose a topic below or just type your question."),
    ]
    if roles & {"officer", "official"}:
        paragraphs.append(_("You are registered as {role}: /bantuan lists your commands and "
                            "/dasbor opens the web dashboard.").format(
            role=_("an officer") if "officer" in roles else _("a village official")))
    return Reply("\n\n".join(paragraphs), menu_rows(book), intent="greet")


def help_reply(book: AnswerBook, roles: frozenset[str] = frozenset()) -> Reply:
    """The /bantuan message: every command of the person's roles, and the menu.

    It listed /start, /bantuan and /menu only, so nobody found /lapor or /status, and an
    official or officer had no way to learn their own commands from the bot.
    """
    lines = [
        _("You can type questions in your own words, for example: "
          "\"how do I work abroad legally?\""),
        "",
        _("/menu - the topics menu"),
        _("/lapor - report a suspicious offer or recruiter (your identity stays hidden unless "
          "you agree)"),
        _("/status - your reports and what happened to them (or /status CODE)"),
        _("/desa - join your village's lessons and quizzes; /berhenti - stop them"),
        _("/kuis - a quiz question"),
        _("/batal - cancel what you are doing"),
        _("/start - start again;  /bantuan - this help"),
    ]
    if "official" in roles:
        lines += ["", _("As a village official:"),
                  _("/hubungkan - send it in the village group to link the group"),
                  _("/pelajaran - preview a lesson, send it now or schedule it"),
                  _("/kampanye - a weekly quiz, for example: /kampanye jumat 19.00 5"),
                  _("/statistik - the village's quiz results"),
                  _("/pesan - your own message (an officer approves it, where your office "
                    "allows it)"),
                  _("/dasbor - a sign-in link to the web dashboard")]
    if "officer" in roles:
        lines += ["", _("As an officer:"),
                  _("/laporan - the open tips of your office"),
                  _("/statistik - the villages of your office"),
                  _("/kampanye_iklan - recruiters' campaigns seen across your villages"),
                  _("/blokir CODE, /bukablokir CODE - block or unblock a tip's reporter"),
                  _("/dasbor - a sign-in link to the web dashboard"),
                  _("The buttons under each alert: handle, note, ask the reporter, escalate, "
                    "close.")]
    return Reply("\n".join(lines), menu_rows(book), intent="bot_help")


def answer_reply(book: AnswerBook, intent: str, country: str | None = None,
                 full: bool = False, extra: tuple[Source, ...] = ()) -> Reply:
    """An intent's answer: short (with Selengkapnya) or full, sources, related buttons.

    `extra`: more sources of what the short text states, named after its own (asked.py).
    """
    answer = book[intent]
    country = country if country in answer.countries else None  # buttons name real variants
    variant = answer.variant(country)
    more = _data("full", intent, country)
    body, rows = _body_and_rows(book, intent, variant, full, more, answer.related, extra)
    return Reply(body, rows, variant.sources + extra, intent, answer.action)


def entry_reply(book: AnswerBook, intent: str, entry_id: str, full: bool = False,
                extra: tuple[Source, ...] = ()) -> Reply:
    """The answer to one question of an intent: its own text, sources and buttons."""
    entry = book.entry(intent, entry_id)
    if entry is None:
        raise KeyError(f"{intent}#{entry_id}")
    related = entry.related or book[intent].related
    body, rows = _body_and_rows(book, intent, entry.text, full, f"entry:{intent}:{entry_id}",
                                (intent, *(r for r in related if r != intent))[:3], extra)
    return Reply(body, rows, entry.text.sources + extra, intent,
                 meta={"entry": entry_label(intent, entry_id)})


def _body_and_rows(book: AnswerBook, intent: str, variant: Variant, full: bool, more: str,
                   related: tuple[str, ...], extra: tuple[Source, ...] = (),
                   ) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    body = variant.full if full else variant.short
    if full and variant.sources:
        body += "\n\n" + _("Source:") + " " + "; ".join(map(_line, variant.sources))
    elif variant.short_sources or extra:
        body += "\n\n" + _("Source:") + " " + "; ".join(
            map(_brief, variant.short_sources + extra))
    rows: list[tuple[Button, ...]] = []
    if intent == "emergency_help":
        rows.append((Button(_("Contact an officer now"), "tip:urgent"),))
    if not full and variant.full != variant.short:
        rows.append((Button(_("Read more"), more),))
    buttons = [Button(book[r].title, f"ans:{r}") for r in related]
    buttons.append(Button(_("Menu"), "menu"))
    rows += [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]
    return body, tuple(rows)


@lru_cache(maxsize=4096)
def _brief(source: Source) -> str:
    """A source's publisher and date, formatted once per source.

    Babel's date formatting took a third of the time of choosing a fact's answer, for the
    same few hundred sources every time.
    """
    return source.brief()


@lru_cache(maxsize=4096)
def _line(source: Source) -> str:
    """A source's full line, formatted once (see `_brief`)."""
    return source.line()


def _data(kind: str, intent: str, country: str | None) -> str:
    return f"{kind}:{intent}:{country}" if country else f"{kind}:{intent}"


def respond(understood: Understood, text: str, book: AnswerBook,
            index: QuestionIndex | None = None) -> Reply:
    """Choose the answer for a message: the entry for the question asked, else the intent's.

    NLU sure: the best-fitting entry of its intent, or the general answer. NLU unsure: the
    best-fitting variant of any answer or entry; nothing close enough: a polite menu.
    """
    intent, entry = understood.intent, None
    if intent == "out_of_scope" or understood.confidence < CONFIDENT:
        hit = index.best(text, off_topic=intent == "out_of_scope") if index else None
        if intent == "out_of_scope" and emergency.in_danger(text) and (
                hit is None or split_label(hit)[0] != "emergency_help"):
            return emergency.danger_check()  # a fact or the menu would fail someone in danger
        if hit is None:
            reply = answer_reply(book, "out_of_scope")
            return Reply(reply.text, menu_rows(book), (), "out_of_scope",
                         meta={"unanswered": True})
        intent, entry = split_label(hit)
    elif index is not None:
        intent, entry = split_label(index.within(text, intent) or intent)
    if intent == "greet":
        return welcome(book) if entry is None else entry_reply(book, intent, entry)
    if intent == "emergency_help" and not emergency.is_clear(text):
        return emergency.check_first(f"entry:{intent}:{entry}" if entry else f"ans:{intent}")
    extra = _asked_sources(book, index, text, intent, entry, understood.country)
    if entry is not None:
        reply = entry_reply(book, intent, entry, extra=extra)
    else:
        reply = answer_reply(book, intent, understood.country, extra=extra)
    return _country_lead(book, reply, understood.country)


def _country_lead(book: AnswerBook, reply: Reply, country: str | None) -> Reply:
    """`reply` with a first button to the named country's answer, where that one exists."""
    countries = book["country_info"].countries if "country_info" in book else {}
    if reply.intent not in COUNTRY_LEADS or country not in countries \
            or country in book[reply.intent].countries:
        return reply
    lead = Button(_("Working in {country}").format(country=country),
                  f"ans:country_info:{country}")
    return replace(reply, buttons=((lead,), *reply.buttons))


def _asked_sources(book: AnswerBook, index: QuestionIndex | None, text: str, intent: str,
                   entry: str | None, country: str | None) -> tuple[Source, ...]:
    """Sources of the facts asked for that the chosen short text states under another source.

    Not under a reply that starts a dialogue (an offer to check, a quiz, a subscription).
    """
    if index is None or intent in NO_SOURCES_ADDED:
        return ()
    found = book.entry(intent, entry) if entry is not None else None
    answer = book[intent]
    variant = found.text if found is not None else answer.variant(
        country if country in answer.countries else None)
    return index.supporting(text, variant.short, (s.url for s in variant.short_sources))


def parse_callback(data: str, book: AnswerBook) -> tuple[str, str | None, str | None] | None:
    """Decode answer-button data; None when it is malformed or names nothing we have.

    Callback data comes from the client and can be forged, so it is checked, never trusted.
    """
    parts = data.split(":")
    if parts == ["menu"]:
        return ("menu", None, None)
    if len(parts) == 3 and parts[0] == "entry" and parts[1] in book:
        return ("entry", parts[1], parts[2]) if book.entry(parts[1], parts[2]) else None
    if len(parts) not in (2, 3) or parts[0] not in {"ans", "full"} or parts[1] not in book:
        return None
    country = parts[2] if len(parts) == 3 else None
    if country is not None and country not in book[parts[1]].countries:
        return None
    return (parts[0], parts[1], country)
