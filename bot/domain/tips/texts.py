"""What officers and reporters read about a tip.

An officer's alert quotes the report inside the bot's own message and names the reporter only
when the reporter agreed; nothing else in this module ever reads the reporter's identity.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.formatting import format_datetime_local
from bot.core.i18n import _
from bot.core.storage.models import Tip
from bot.domain.replies import Button, Reply

STATUS = {
    "new": lambda: _("received, waiting for an officer"),
    "claimed": lambda: _("being handled by an officer"),
    "escalated": lambda: _("passed on for further action"),
    "closed": lambda: _("closed"),
}
OUTCOMES = {
    "followed_up": lambda: _("followed up by officers"),
    "not_scam": lambda: _("checked: no sign of a scam was found"),
    "insufficient": lambda: _("closed: not enough information to act"),
    "duplicate": lambda: _("closed: already reported by someone else"),
}
AT_RISK = {"self": lambda: _("the reporter"), "family": lambda: _("family member"),
           "neighbour": lambda: _("neighbour"), "other": lambda: _("someone else")}
TIMING = {"soon": lambda: _("leaving within days"), "abroad": lambda: _("already abroad"),
          "none": lambda: _("not leaving yet"), "unknown": lambda: _("unknown")}
ESCALATE_TO = {"bp3mi": "BP3MI", "police": "Polri"}
ESCALATE_KIND = {"bp3mi": "bp3mi", "police": "polisi"}  # the office kind that receives it


def officer_alert(tip: Tip, village: str | None, identity: str | None,
                  reannounce: bool = False) -> Reply:
    """The alert officers get, with the triage buttons."""
    head = _("URGENT TIP {code}") if tip.urgent else _("New tip {code}")
    if reannounce:
        head = _("Still unclaimed: tip {code}")
    lines = [("\U0001f6a8 " if tip.urgent else "") + head.format(code=tip.code)]
    fields = [
        (_("Village"), village or _("unknown")),
        (_("Destination"), tip.destination),
        (_("At risk"), AT_RISK[tip.at_risk]() if tip.at_risk in AT_RISK else ""),
        (_("Timing"), TIMING[tip.timing]() if tip.timing in TIMING else ""),
        (_("Offer checker"), risk_label(tip.risk)),
        (_("Recruiter"), tip.recruiter),
    ]
    lines += [f"{label}: {value}" for label, value in fields if value]
    if tip.story:
        lines += ["", _("What happened:"), _quote(tip.story)]
    if tip.offer_text:
        lines += ["", _("The offer:"), _quote(tip.offer_text)]
    lines += ["", _("Reporter: {who}").format(who=identity) if identity else
              _("Reporter: anonymous (did not agree to share their identity)")]
    return Reply("\n".join(lines)[:4000], triage_buttons(tip))


def escalated_case(tip: Tip, village: str | None, identity: str | None,
                   from_office: str) -> Reply:
    """The case as BP3MI or the police receive it: the alert's facts, no triage buttons.

    The reporter is named only when they agreed, exactly as in the officers' alert.
    """
    alert = officer_alert(tip, village, identity)
    head = _("Case passed on by {office}").format(office=from_office)
    return Reply(f"{head}\n\n{alert.text}"[:4000])


EVENTS = {
    "created": lambda: _("reported"),
    "claimed": lambda: _("taken by an officer"),
    "note": lambda: _("note"),
    "question": lambda: _("question to the reporter"),
    "answer": lambda: _("the reporter answered"),
    "escalated": lambda: _("passed on"),
    "closed": lambda: _("closed"),
    "blocked": lambda: _("reporter blocked"),
    "reannounced": lambda: _("announced again (nobody had taken it)"),
}


def history_line(moment: datetime, kind: str, text: str, zone: str) -> str:
    """One event of a tip's history, dated in the office's time zone."""
    label = EVENTS[kind]() if kind in EVENTS else kind
    if kind == "closed" and text in OUTCOMES:
        text = OUTCOMES[text]()
    when = format_datetime_local(moment if moment.tzinfo else moment.replace(tzinfo=UTC), zone)
    return f"- {when}: {label}" + (f": {text[:300]}" if text else "")


def status_label(tip: Tip) -> str:
    """The tip's state in words (the list showed `new`, `escalated`)."""
    return _status(tip)


def triage_buttons(tip: Tip) -> tuple[tuple[Button, ...], ...]:
    """The buttons under an alert; every press is checked on the server."""
    if tip.status == "closed":
        return ()
    first = (Button(_("I'll handle it"), f"tp:c:{tip.id}"), Button(_("Note"), f"tp:n:{tip.id}"))
    second = (Button(_("Ask the reporter"), f"tp:q:{tip.id}"),
              Button(_("Escalate"), f"tp:e:{tip.id}"), Button(_("Close"), f"tp:x:{tip.id}"))
    third = (Button(_("Block reporter"), f"tp:b:{tip.id}"),)
    return (first, second, third)


def handling_buttons(tip_id: int) -> tuple[tuple[Button, ...], ...]:
    """Under "You are handling tip ...": what an officer does next, without scrolling back.

    The confirmation had no buttons, so a question typed right after claiming went to the
    question answerer instead of the reporter.
    """
    return ((Button(_("Ask the reporter"), f"tp:q:{tip_id}"), Button(_("Note"), f"tp:n:{tip_id}")),
            (Button(_("Escalate"), f"tp:e:{tip_id}"), Button(_("Close"), f"tp:x:{tip_id}")))


def _quote(text: str) -> str:
    return "\n".join(f"\u201c{line}\u201d" if i == 0 else f" {line}"
                     for i, line in enumerate(text[:1500].splitlines() or [""]))


def risk_label(risk: str) -> str:
    """The offer checker's verdict in words ("high" -> "risiko tinggi")."""
    return {"high": _("high risk"), "medium": _("medium risk"), "low": _("low risk")}.get(risk, "")


def reporter_update(tip: Tip) -> Reply:
    """What the reporter is told when the tip's status changes."""
    status = STATUS[tip.status]()
    if tip.status == "closed" and tip.outcome in OUTCOMES:
        status = OUTCOMES[tip.outcome]()
    text = _("Update on your report {code}: {status}.").format(code=tip.code, status=status)
    text += "\n" + _("Thank you for helping keep our village safe.")
    return Reply(text)


def status_reply(tip: Tip) -> Reply:
    """The answer to /status CODE, for the reporter only."""
    return Reply(_("Report {code}: {status}.").format(code=tip.code, status=_status(tip)))


def own_reports_reply(tips: list[Tip]) -> Reply:
    """/status alone: the person's own reports with their state, so no code is needed."""
    if not tips:
        return Reply(_("You have not sent any report yet. To report a suspicious offer or "
                       "recruiter, send /lapor."))
    lines = [_("Your reports:")]
    lines += [f"{tip.code}: {_status(tip)}" for tip in tips]
    return Reply("\n".join(lines))


def _status(tip: Tip) -> str:
    if tip.status == "closed" and tip.outcome in OUTCOMES:
        return OUTCOMES[tip.outcome]()
    return STATUS[tip.status]()


def question_to_reporter(tip: Tip, question: str) -> Reply:
    """An officer's question, relayed by the bot; the reporter answers with the button."""
    text = _("An officer has a question about your report {code}:").format(code=tip.code)
    return Reply(f"{text}\n\n{_quote(question)}",
                 ((Button(_("Answer"), f"tr:a:{tip.id}"),),))


def answer_to_officer(tip: Tip, answer: str) -> Reply:
    """The reporter's answer, relayed back without their account."""
    text = _("The reporter answered about tip {code}:").format(code=tip.code)
    return Reply(f"{text}\n\n{_quote(answer)}", triage_buttons(tip))


def refusal(reason: str) -> str:
    """A tip action refused, in words (the same in the chat and on the dashboard)."""
    return {
        "forbidden": _("You are not allowed to do this."),
        "closed": _("This tip is already closed."),
        "taken": _("Another officer is already handling this tip."),
        "purged": _("The reporter's data was removed from this old tip."),
        "not_found": _("There is no tip with that code."),
    }.get(reason, _("That did not work."))
