"""What officers and villagers read about a campaign.

Samples are the recruiters' adverts as villagers pasted them; no name, account or chat of a
villager is ever part of a campaign, so nothing here can reveal who checked what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.formatting import format_datetime_local, format_number
from bot.core.i18n import _
from bot.domain.replies import Button, Reply

SAMPLE_CHARS = 300
VERDICTS = {
    "confirmed": lambda: _("Confirmed scam"),
    "legitimate": lambda: _("Legitimate"),
    "unsure": lambda: _("Not sure"),
}
KINDS = {"phone": lambda: _("phone/WhatsApp"), "handle": lambda: _("account"),
         "link": lambda: _("link"), "email": lambda: _("e-mail"),
         "company": lambda: _("company")}


@dataclass(frozen=True)
class CampaignView:
    """One campaign as an office sees it."""

    id: int
    status: str
    texts: int
    checks: int
    tips: int
    villages: tuple[str, ...]
    unknown_village: int
    contacts: tuple[str, ...]  # "kind:value"
    samples: tuple[str, ...]
    risk: str
    first_seen: datetime
    last_seen: datetime
    zone: str


def refusal(reason: str) -> str:
    """A campaign action refused, in words (the same in the chat and on the dashboard)."""
    return {
        "forbidden": _("You are not allowed to do this."),
        "not_confirmed": _("Only a campaign confirmed as a scam can get the warning lesson."),
        "lesson_sent": _("The warning lesson was already sent for this campaign."),
    }.get(reason, _("That did not work."))


def contact_line(raw: str) -> str:
    """"phone:+62812..." as "phone/WhatsApp +62812..."."""
    kind, _sep, value = raw.partition(":")
    label = KINDS.get(kind, lambda: kind)()
    return f"{label} {'@' + value if kind == 'handle' else value}"


def campaign_text(view: CampaignView) -> str:
    """The body officers read in the alert and in the campaign view."""
    risk = {"high": _("high"), "medium": _("medium"), "low": _("low")}.get(view.risk, "-")
    lines = [
        _("Checks: {checks}, tips: {tips}").format(checks=format_number(view.checks),
                                                  tips=format_number(view.tips)),
        _("Villages reached: {villages}").format(
            villages=", ".join(view.villages) or "-")
        + (_(" (and {n} from an unknown village)").format(n=view.unknown_village)
           if view.unknown_village else ""),
        _("Contacts: {contacts}").format(
            contacts="; ".join(contact_line(c) for c in view.contacts) or "-"),
        _("First seen: {when}").format(when=format_datetime_local(view.first_seen, view.zone)),
        _("Last seen: {when}").format(when=format_datetime_local(view.last_seen, view.zone)),
        _("Offer checker's risk: {risk}").format(risk=risk),
        "",
        _("Samples:"),
    ]
    lines += [f"{i}. \u00ab{_short(s)}\u00bb" for i, s in enumerate(view.samples, 1)]
    return "\n".join(lines)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SAMPLE_CHARS else flat[:SAMPLE_CHARS - 1] + "\u2026"


def verdict_buttons(campaign_id: int) -> tuple[tuple[Button, ...], ...]:
    """Confirmed scam / legitimate / not sure."""
    return (tuple(Button(label(), f"cp:v:{campaign_id}:{key}")
                  for key, label in VERDICTS.items()),)


def alert_reply(view: CampaignView, hours: float) -> Reply:
    """The alert in the office's group, with the verdict buttons."""
    head = _("\u26a0\ufe0f Possible recruiter campaign K-{id}: {n} checks or tips from {v} "
             "villages within {hours} hours.").format(
        id=view.id, n=format_number(view.texts), v=format_number(len(view.villages)),
        hours=format_number(hours))
    text = head + "\n\n" + campaign_text(view) + "\n\n" + _(
        "Officers of this office: give a verdict with the buttons below.")
    return Reply(text[:4000], verdict_buttons(view.id))


def view_reply(view: CampaignView) -> Reply:
    """/kampanye_iklan K: one campaign, with its verdict buttons while it is open."""
    status = VERDICTS.get(view.status, lambda: _("no verdict yet"))()
    text = _("Campaign K-{id} ({status})").format(id=view.id, status=status) + "\n\n" + \
        campaign_text(view)
    buttons = verdict_buttons(view.id) if view.status in {"open", "unsure"} else ()
    if view.status == "confirmed":
        buttons = lesson_button(view.id)
    return Reply(text[:4000], buttons)


def lesson_button(campaign_id: int) -> tuple[tuple[Button, ...], ...]:
    """Send the ready warning lesson to the villages the campaign reached."""
    return ((Button(_("Send a warning lesson to these villages"), f"cp:l:{campaign_id}"),),)


def verdict_recorded(campaign_id: int, verdict: str, notified: int) -> Reply:
    """What the officer sees after pressing a verdict button."""
    text = _("Campaign K-{id}: verdict \"{verdict}\" recorded.").format(
        id=campaign_id, verdict=VERDICTS[verdict]())
    if verdict == "confirmed":
        text += " " + _("{n} villagers who checked this advert will be told.").format(
            n=format_number(notified))
        return Reply(text, lesson_button(campaign_id))
    return Reply(text)


def lesson_sent(villages: int) -> str:
    """After the warning lesson was queued."""
    return _("The warning lesson is being sent to {n} villages.").format(
        n=format_number(villages))


def follow_up() -> Reply:
    """The one message a villager gets when an advert they checked is confirmed a scam."""
    return Reply(_(
        "An update about a job offer you asked me to check: officers have confirmed that this "
        "advert is a scam. Please do not contact the recruiter, pay anything or send your "
        "documents. If you or someone you know already agreed to go, type /lapor; your "
        "identity stays protected."))


def confirmed_note(reports: int) -> str:
    """The first line for the next villager who pastes a variant of a confirmed campaign."""
    return _("\u26d4 This advert was reported {n} times in your area and officers confirmed it "
             "is a scam.").format(n=format_number(reports))


def watch_reason(contacts: list[str]) -> str:
    """Why the risk is high: the text carries a contact of a confirmed scam campaign."""
    return _("It uses a contact that officers confirmed belongs to a scam campaign: "
             "{contacts}.").format(contacts="; ".join(contact_line(c) for c in contacts))


def watch_label() -> str:
    """The short name of the watchlist flag (in the checker's summary)."""
    return _("contact on the officers' watchlist")


def list_reply(views: list[CampaignView]) -> Reply:
    """/kampanye_iklan: the office's campaigns, newest first."""
    if not views:
        return Reply(_("No recruiter campaigns seen in your office's villages yet."))
    lines = [_("Recruiter campaigns in your villages ({n}):").format(n=len(views))]
    for view in views[:20]:
        status = VERDICTS.get(view.status, lambda: _("no verdict yet"))()
        lines.append(_("K-{id}: {n} texts, {v} villages, {status}").format(
            id=view.id, n=format_number(view.texts), v=format_number(len(view.villages)),
            status=status))
    rows = tuple((Button(_("Open K-{id}").format(id=v.id), f"cp:s:{v.id}"),) for v in views[:10])
    return Reply("\n".join(lines), rows)
