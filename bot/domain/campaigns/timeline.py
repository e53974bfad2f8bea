"""A campaign's story as one office sees it: texts arriving, the alert, verdicts, the lesson.

The web dashboard's campaign page shows it. Texts appear as "a check from Sukamaju" with the
time, never with who sent them (nothing stored with a text could say); officers' actions
appear with the officer's name, because the office's audit is about what officers did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.core.storage.models import CampaignEvent, CampaignText, OfferCampaign, Officer, Village
from bot.core.storage.session import Database
from bot.domain.people.audit import officer_name

LIMIT = 200


@dataclass(frozen=True)
class TimelineEntry:
    """One moment of a campaign: `kind` is "check", "tip", "alerted", "verdict" or "lesson"."""

    at: datetime
    kind: str
    village: str  # for texts: the village it came from ("" when unknown)
    actor: str  # for events: the officer's name, or "system"
    detail: str  # for verdicts: the verdict's key; for alerts and lessons: the domain's note


def campaign_timeline(db: Database, office_id: int, campaign_id: int) -> list[TimelineEntry]:
    """The office's texts and events of a campaign (followed through a merge), oldest first."""
    with db.session() as session:
        campaign = session.get(OfferCampaign, campaign_id)
        if campaign is None:
            return []
        campaign_id = campaign.merged_into or campaign.id
        names = {i: n or f"#{i}" for i, n in session.execute(
            select(Officer.id, Officer.name).where(Officer.office_id == office_id))}
        texts = session.execute(
            select(CampaignText.created_at, CampaignText.source, Village.name)
            .outerjoin(Village, Village.id == CampaignText.village_id)
            .where(CampaignText.campaign_id == campaign_id,
                   CampaignText.office_id == office_id)
            .order_by(CampaignText.id.desc()).limit(LIMIT)).all()
        events = session.execute(
            select(CampaignEvent.created_at, CampaignEvent.kind, CampaignEvent.actor,
                   CampaignEvent.text)
            .where(CampaignEvent.campaign_id == campaign_id,
                   CampaignEvent.office_id == office_id)
            .order_by(CampaignEvent.id.desc()).limit(LIMIT)).all()
    entries = [TimelineEntry(at, source, village or "", "", "") for at, source, village in texts]
    entries += [TimelineEntry(at, kind, "", officer_name(actor, names), text)
                for at, kind, actor, text in events]
    return sorted(entries, key=lambda e: e.at)
