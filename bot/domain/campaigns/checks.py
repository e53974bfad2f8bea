"""The two hooks: an offer a villager checks, and a tip's offer and recruiter fields.

`checked_reply` is the offer checker's answer with what campaigns know added: the warning
that officers confirmed this advert, and a higher risk (with the reason) when the text carries
a contact on the watchlist. Both faces call these and nothing else of this package.
"""

from __future__ import annotations

import dataclasses
import logging

from bot.core.config import Settings
from bot.core.storage.models import Tip
from bot.core.storage.session import Database
from bot.domain.campaigns.alerts import Thresholds, alert_if_fast
from bot.domain.campaigns.store import Arrival, Observation, assign, village_of
from bot.domain.campaigns.texts import confirmed_note, watch_label, watch_reason
from bot.domain.offers.answers import offer_reply
from bot.domain.offers.assessment import Assessment
from bot.domain.offers.rules import Flag
from bot.domain.replies import Reply

log = logging.getLogger(__name__)
WATCH_SOURCE = {"publisher": "Petugas kantor imigrasi (penilaian di bot ini)",
                "title": "Daftar pantau kontak kampanye penipuan", "url": "", "date": "t.t."}


_configured: list[Thresholds] = []


def configure(settings: Settings) -> None:
    """Use the configured thresholds for tips too (whose submission has no settings)."""
    _configured[:] = [Thresholds.from_settings(settings)]


def observe(db: Database, settings: Settings | None, arrival: Arrival) -> Observation:
    """Assign a text to its campaign and apply the alert rule, in one transaction."""
    thresholds = Thresholds.from_settings(settings) if settings else (
        _configured[0] if _configured else Thresholds())
    return assign(db, arrival, lambda session, campaign, now:
                  alert_if_fast(session, campaign, now, thresholds))


def checked_reply(db: Database, settings: Settings, text: str, assessment: Assessment,
                  chat_id: int) -> Reply:
    """The offer checker's reply, after the text joined its campaign."""
    try:
        arrival = Arrival(text, "check", assessment.risk, chat_id, village_of(db, chat_id))
        seen = observe(db, settings, arrival)
    except Exception:  # the villager must get the checker's answer whatever happens here
        log.exception("could not assign a checked offer to a campaign")
        return offer_reply(assessment)
    if seen.watched:
        flag = Flag("watchlist", "high", watch_reason([f"{c.kind}:{c.value}"
                                                      for c in seen.watched]),
                    WATCH_SOURCE, watch_label())
        assessment = dataclasses.replace(assessment, risk="high",
                                         flags=[flag, *assessment.flags])
    reply = offer_reply(assessment)
    if seen.status == "confirmed":
        reply = dataclasses.replace(reply, text=(confirmed_note(seen.reports_in_area) + "\n\n"
                                                 + reply.text)[:4000])
    reply.meta["campaign"] = seen.campaign_id
    return reply


def observe_tip(db: Database, tip: Tip, settings: Settings | None = None) -> None:
    """A submitted tip's offer and recruiter fields join their campaign (no reporter link)."""
    text = "\n".join(part for part in (tip.offer_text, tip.recruiter) if part.strip())
    if not text.strip():
        return
    try:
        observe(db, settings, Arrival(text, "tip", tip.risk, None, tip.village_id))
    except Exception:  # the tip is stored and announced; a campaign failure must not undo it
        log.exception("could not assign tip %s to a campaign", tip.id)
